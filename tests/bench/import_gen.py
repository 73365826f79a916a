#!/usr/bin/env python3
"""import_gen.py: deterministic CSV files for the import benchmark
(tests/bench/import.sh), in the formats of BILLING.md.

    import_gen.py DIR CUSTOMERS SITES_PER_CUSTOMER ASSETS_PER_CUSTOMER

writes DIR/products.csv, customers.csv, sites.csv, cost-centres.csv and
assets.csv.  Each customer has SITES_PER_CUSTOMER sites, two cost
centres, and ASSETS_PER_CUSTOMER assets spread evenly over its sites;
every 100th customer (the first included) has all its assets on its
first site instead, so that the database has sites as large as the
page benchmark's (tests/bench/run.sh: 200 assets a site).  The same
arguments give the same bytes (no randomness, no clock)."""
import os
import sys


def main():
    out, ncust, nsites, nassets = sys.argv[1], *map(int, sys.argv[2:5])
    os.makedirs(out, exist_ok=True)
    w = lambda name: open(os.path.join(out, name), "w", newline="")
    with w("products.csv") as f:
        f.write("code,name,asset_type,charge,usage_unit\n")
        f.write("BENCH-LINE,Bench line,line,flat,\n")
        f.write("BENCH-SET,\"Bench set, desk\",set,flat,\n")
        f.write("BENCH-MBX,Bench mailbox,mailbox,flat,\n")
    with w("customers.csv") as f:
        f.write("code,name,address,city,region,postcode,country,currency,terms_days\n")
        for c in range(1, ncust + 1):
            f.write(f"BC{c:05d},Bench customer {c},{c} Main St,Ottawa,ON,K1A 0B1,CA,,30\n")
    with w("sites.csv") as f:
        f.write("customer,code,name,address,city,region,postcode,country\n")
        for c in range(1, ncust + 1):
            for s in range(1, nsites + 1):
                f.write(f"BC{c:05d},S{s:03d},\"Site {s}, customer {c}\",{s} Side St,Toronto,ON,M5V 2T6,CA\n")
    with w("cost-centres.csv") as f:
        f.write("customer,code,name\n")
        for c in range(1, ncust + 1):
            f.write(f"BC{c:05d},CC1,Operations\nBC{c:05d},CC2,Sales\n")
    products = ("BENCH-LINE", "BENCH-SET", "BENCH-MBX")
    tag = 0
    with w("assets.csv") as f:
        f.write("tag,customer,site,cost_centre,product,ports,phone_number,"
                "extension,mailbox,serial,installed_on,parent_tag\n")
        rows = []
        for c in range(1, ncust + 1):
            big = (c - 1) % 100 == 0
            for a in range(nassets):
                tag += 1
                s = 1 if big else a % nsites + 1
                p = products[tag % 3]
                phone = f"+1613{tag:07d}" if p == "BENCH-LINE" else ""
                ext = f"{tag % 9000 + 1000}" if p == "BENCH-SET" else ""
                mbx = f"{tag % 9000 + 1000}" if p == "BENCH-MBX" else ""
                day = f"20{23 + tag % 2}-{tag % 12 + 1:02d}-{tag % 28 + 1:02d}"
                rows.append(f"B{tag:08d},BC{c:05d},S{s:03d},CC{tag % 2 + 1},{p},1,"
                            f"{phone},{ext},{mbx},SN{tag:09d},{day},\n")
                if len(rows) == 10000:
                    f.write("".join(rows))
                    rows = []
        f.write("".join(rows))


main()
