#!/bin/bash
# The catalog pages through nginx and omsd: a vendor adds prices, fees,
# contract prices, usage prices and a product through the forms (303 to
# the product), a refused input shows the page again with why (400), a
# rewritten price is a conflict (409) and changes nothing; the product
# page marks what is in effect today and lists newest first; a customer
# user sees its own contract price (marked) and no other customer's,
# and no form.  Every write leaves an audit record.
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
. "${OMS_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"

oms_need_stack
oms_need xmllint
oms_start

oms_login vendor || tap_bail "cannot log in as vendor"
http GET '/catalog?format=xml'
tap_is "$HTTP_STATUS" 200 "vendor: GET /catalog answers 200"
tok=$(oms_xpath "$HTTP_BODY" 'string(/page/session/@csrf)')
tap_is "$(oms_xpath "$HTTP_BODY" 'string(/page/catalog/@edit)')" yes "vendor: the catalog offers its forms"
tap_is "$(oms_xpath "$HTTP_BODY" 'count(/page/catalog/product)')" \
    "$(oms_sql 'SELECT COUNT(*) FROM products')" "vendor: the catalog lists every product"

p=$(oms_sql "SELECT MIN(id) FROM products")
code=$(oms_sql "SELECT code FROM products WHERE id = $p")
c1=$(oms_sql 'SELECT MIN(id) FROM customers')
c2=$(oms_sql 'SELECT MAX(id) FROM customers')
audits() { oms_sql "SELECT COUNT(*) FROM audit_log WHERE entity IN ('product', 'product_price', 'fee', 'contract_price', 'usage_price')"; }
a0=$(audits)

# post PATH DATA: a form POST with the vendor's token.
post() {
	http POST "$1" --data "csrf=$tok&$2"
}

post "/catalog/$p/prices" "valid_from=2024-01-01&monthly=1%2C234.50"
tap_is "$HTTP_STATUS $(http_header Location)" "303 /catalog/$p" "a price from 2024-01-01: 303 to the product"
post "/catalog/$p/prices" "valid_from=2099-01-01&monthly=2000"
tap_is "$HTTP_STATUS" 303 "a future price: 303"
post "/catalog/$p/prices" "valid_from=2024-01-01&monthly=1%2C234.50"
tap_is "$HTTP_STATUS" 303 "the same price again: 303, nothing changed"
post "/catalog/$p/prices" "valid_from=2024-01-01&monthly=99"
tap_is "$HTTP_STATUS" 409 "bad: another amount on a priced date: 409"
tap_file_like "$HTTP_BODY" 'never rewritten' "bad: the 409 page says why"
tap_is "$(oms_sql "SELECT monthly_cents FROM product_prices WHERE product_id = $p AND valid_from = '2024-01-01'")" 123450 \
    "bad: the conflicting price changed nothing"
post "/catalog/$p/prices?format=xml" "valid_from=2024-02-30&monthly=1"
tap_is "$HTTP_STATUS/$(oms_xpath "$HTTP_BODY" 'string(/page/product/message/@form)')" 400/price \
    "bad: an invalid date: 400 with the page and a message on the price form"
tap_is "$(oms_xpath "$HTTP_BODY" 'string(/page/product/form[@for="price"]/@valid_from)')" 2024-02-30 \
    "bad: the typed date comes back"
post "/catalog/$p/prices" "valid_from=2024-03-01&monthly=-1"
tap_is "$HTTP_STATUS" 400 "bad: a negative price: 400"
post "/catalog/$p/prices" "valid_from=2024-03-01&monthly=1.234"
tap_is "$HTTP_STATUS" 400 "bad: three decimals: 400"

post "/catalog/$p/fees" "action=move&valid_from=2024-01-01&amount=50"
tap_is "$HTTP_STATUS" 303 "an any-product move fee: 303"
post "/catalog/$p/fees" "action=move&product_code=$code&valid_from=2024-06-01&amount=80"
tap_is "$HTTP_STATUS" 303 "the product's own move fee: 303"
post "/catalog/$p/fees" "action=jump&valid_from=2024-06-01&amount=80"
tap_is "$HTTP_STATUS" 400 "bad: an unknown action: 400"
post "/catalog/$p/fees" "action=move&product_code=NOT-THIS&valid_from=2024-06-01&amount=80"
tap_is "$HTTP_STATUS" 400 "bad: a fee for another product's code: 400"

post "/catalog/$p/contracts" "customer=$c1&valid_from=2024-01-01&monthly=10"
tap_is "$HTTP_STATUS" 303 "a contract price for customer $c1: 303"
ccode=$(oms_sql "SELECT code FROM customers WHERE id = $c2")
post "/catalog/$p/contracts" "customer_code=$ccode&valid_from=2024-01-01&valid_to=2025-01-01&monthly=11"
tap_is "$HTTP_STATUS" 303 "a closed contract price for customer $ccode by code: 303"
post "/catalog/$p/contracts" "customer_code=NO-SUCH&valid_from=2024-01-01&monthly=11"
tap_is "$HTTP_STATUS" 400 "bad: an unknown customer code: 400"
post "/catalog/$p/contracts" "customer=$c1&valid_from=2024-01-01&valid_to=2023-01-01&monthly=11"
tap_is "$HTTP_STATUS" 400 "bad: valid_to before valid_from: 400"

post "/catalog/$p/usage" "valid_from=2024-01-01&unit=minute&included=100&tiers=0%3A0.0350%3B1000%3A0.0300"
tap_is "$HTTP_STATUS" 303 "a usage price with two tiers: 303"
post "/catalog/$p/usage" "valid_from=2024-02-01&unit=minute&tiers=5%3A0.0350"
tap_is "$HTTP_STATUS" 400 "bad: a first tier not from 0: 400"

post /catalog "code=MX-CAT-1&name=Catalog+test&asset_type=addon&charge=per_port&unit=GB&min_ports=1&max_ports=4"
new=$(oms_sql "SELECT id FROM products WHERE code = 'MX-CAT-1'")
tap_is "$HTTP_STATUS $(http_header Location)" "303 /catalog/$new" "a new product: 303 to it"
post /catalog "code=$code&name=Renamed&asset_type=addon&charge=flat"
tap_is "$HTTP_STATUS" 409 "bad: a new asset type for a product with assets: 409"
post /catalog "code=MX-CAT-2&asset_type=set&charge=flat"
tap_is "$HTTP_STATUS" 400 "bad: a product without a name: 400"
post /catalog/999999999/prices "valid_from=2024-01-01&monthly=1"
tap_is "$HTTP_STATUS" 404 "bad: a price for a missing product: 404"

tap_is "$(( $(audits) - a0 ))" 8 "eight writes, eight audit records"

http GET "/catalog/$p?format=xml"
tap_is "$(oms_xpath "$HTTP_BODY" 'string(/page/product/prices/price[@current="yes"]/@valid-from)')" 2024-01-01 \
    "the price in effect today is marked"
tap_is "$(oms_xpath "$HTTP_BODY" 'string(/page/product/prices/price[1]/@valid-from)')" 2099-01-01 \
    "prices are newest first"
tap_is "$(oms_xpath "$HTTP_BODY" 'string(/page/product/fees/fee[@applies="yes"]/@product)')" "$code" \
    "the product's own fee is the one that applies"
tap_is "$(oms_xpath "$HTTP_BODY" 'count(/page/product/contracts/contract)')" 2 "staff see both contract prices"
tap_is "$(oms_xpath "$HTTP_BODY" 'string(/page/product/usage-prices/usage/@tiers)')" "0:0.035;1000:0.03" \
    "the usage price with its tiers"
http GET "/catalog/$p"
tap_file_like "$HTTP_BODY" '1,234\.50' "the HTML page formats the cents"

oms_login customer || tap_bail "cannot log in as customer"
own=$(oms_sql "SELECT customer_id FROM users WHERE login = 'customer'")
tap_is "$own" "$c1" "the customer user belongs to customer $c1"
http GET '/catalog?format=xml'
tap_is "$HTTP_STATUS/$(oms_xpath "$HTTP_BODY" "string(/page/catalog/product[@id=$p]/@monthly-cents)")/$(oms_xpath "$HTTP_BODY" "string(/page/catalog/product[@id=$p]/@contract)")" \
    200/1000/yes "customer: the catalog shows its contract price, marked"
tap_is "$(oms_xpath "$HTTP_BODY" 'count(/page/new-product)')" 0 "customer: no new-product form"
http GET "/catalog/$p?format=xml"
tap_is "$(oms_xpath "$HTTP_BODY" 'count(/page/product/contracts/contract)')/$(oms_xpath "$HTTP_BODY" 'string(/page/product/contracts/contract/@customer-id)')" \
    "1/$c1" "customer: only its own contract price"
tap_is "$(oms_xpath "$HTTP_BODY" 'string(/page/product/@your-cents)')" 1000 "customer: what it pays today"
tap_is "$(oms_xpath "$HTTP_BODY" "count(/page/product/contracts/contract[@customer='$ccode'])")" 0 \
    "customer: the other customer's contract price is not listed"
tap_is "$(oms_xpath "$HTTP_BODY" 'string(/page/product/@edit)')" no "customer: no forms"
http POST "/catalog/$p/prices" --data "csrf=$(oms_xpath "$HTTP_BODY" 'string(/page/session/@csrf)')&valid_from=2024-05-01&monthly=1"
tap_is "$HTTP_STATUS" 403 "bad: a customer user cannot add a price: 403"

tap_is "$(grep -c '^\(5\|000\)' "$OMS_DIR/http.log")" 0 "no request answered 5xx"
tap_done
