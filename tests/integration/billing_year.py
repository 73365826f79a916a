#!/usr/bin/env python3
# billing_year.py: an independent implementation of the rules of
# BILLING.md for the scenario of tests/integration/billing_year.sh, and
# the checker of the invoices and reports OMS exported.
#
# It reads only the CSV files the test imported and the order it
# imported them and issued periods in (a manifest of lines "import DATE
# KIND FILE" and "issue DATE PERIOD"), never OMS's database: it replays
# the manifest, computing every invoice when its period is issued with
# the data known then, as BILLING.md says.  It covers what the scenario
# uses: flat and per-port products, catalog prices, usage prices with an
# included quantity and graduated tiers, MAC fees (product-specific over
# any-product, overrides), add/move/change/disconnect orders, payments,
# adjustments, corrections of issued periods, several taxes per
# jurisdiction, balances, outstanding earlier invoices and aging, and the
# Billing Report's rows.  No add-ons, no contract prices.
#
#   billing_year.py check MANIFEST ROOT [CUSTOMER...]
#       after each issue of a period P in the manifest, compare ROOT/P
#       (omsctl bill export of P, right after it was issued) with the
#       model's invoices of P; one line per check, "ok<TAB>name" or
#       "not ok<TAB>name<TAB>diag"; each CUSTOMER named is checked field
#       by field, the others (the generated ones) together.
#   billing_year.py same ROOT1 ROOT2
#       the documents of both folders alike, database ids aside.
#   billing_year.py get FILE
#       an invoice's lines and taxes on one line, for hand checks.
#   billing_year.py due MANIFEST PERIOD CUSTOMER
#       the model's total due of CUSTOMER's invoice of PERIOD ("12.34").
import csv
import datetime as dt
import os
import sys
import xml.etree.ElementTree as ET

ONE = dt.timedelta(days=1)


def day(s):
    return dt.date.fromisoformat(s)


def cents(s):
    """'12.50' / '-3.00' -> integer cents, exactly (no floats)."""
    neg = s.startswith("-")
    s = s.lstrip("-")
    whole, _, frac = s.partition(".")
    v = int(whole or "0") * 100 + int((frac + "00")[:2])
    return -v if neg else v


def micros(s):
    whole, _, frac = s.partition(".")
    return int(whole or "0") * 1000000 + int((frac + "000000")[:6])


def ppm(s):
    whole, _, frac = s.partition(".")
    # percent with up to 4 decimals -> parts per million
    return int(whole or "0") * 10000 + int((frac + "0000")[:4])


def rnd(n, d):
    """round(n / d), half away from zero: sign(n) floor((2|n| + d) / 2d)."""
    assert d > 0
    s = -1 if n < 0 else 1
    return s * ((2 * abs(n) + d) // (2 * d))


def period_bounds(p):
    y, m = int(p[:4]), int(p[5:7])
    first = dt.date(y, m, 1)
    nxt = dt.date(y + (m == 12), m % 12 + 1, 1)
    return first, nxt - ONE


def period_of(d):
    return "%04d-%02d" % (d.year, d.month)


def effective(rows, d):
    """The row of rows (valid_from, ...) in effect on d: latest valid_from <= d."""
    best = None
    for r in rows:
        if r[0] <= d and (best is None or r[0] >= best[0]):
            best = r
    return best


class Asset:
    def __init__(self, tag, cust, site, cc, prod, ports, installed):
        self.tag, self.cust = tag, cust
        self.installed, self.removed = installed, None
        # states: (from, site, cc, product, ports)
        self.states = [(installed, site, cc, prod, ports)]

    def state(self, d):
        cur = None
        for s in self.states:
            if s[0] <= d:
                cur = s
        return cur or self.states[0]

    def in_service(self, d):
        return self.installed <= d and (self.removed is None or d < self.removed)


class Model:
    def __init__(self):
        self.products = {}      # code -> charge
        self.prices = {}        # product -> [(from, cents)]
        self.uprices = {}       # product -> [(from, included, [(from, micros)])]
        self.fees = []          # (action, product|'', from, cents)
        self.taxes = {}         # jurisdiction -> {code: [(from, ppm)]}
        self.customers = {}     # code -> dict
        self.sites = {}         # (cust, code) -> jurisdiction
        self.assets = {}        # tag -> Asset
        self.orders = []        # dicts: ref, line, action, tag, date, override, site, cc, prod
        self.usage = []         # (tag, date, qty)
        self.payments = []      # (ref, cust, date, cents)
        self.adjustments = []   # (ref, cust, date, cents, taxable, site, cc)
        self.issued = []        # periods issued, in order
        self.invoices = {}      # period -> {cust: invoice}
        self.number = 0
        self.reported = set()   # payment references reported
        self.gen = 0            # bumped by each catalog row
        self.cgen = {}          # customer -> bumped by each of its rows
        self.cache = {}         # (customer, period) -> (versions, bill)

    # ------------------------------------------------------- imports
    def load(self, kind, path):
        with open(path, newline="", encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        for r in rows:
            getattr(self, "imp_" + kind.replace("-", "_"))(r)
            c = r.get("customer")
            if kind == "usage":
                c = self.assets[r["asset_tag"]].cust
            if kind in ("customers", "orders", "assets", "usage", "payments",
                        "adjustments", "sites", "cost-centres") and c is not None:
                c = c or r.get("code")
                self.cgen[c] = self.cgen.get(c, 0) + 1
            else:
                self.gen += 1

    def imp_products(self, r):
        self.products[r["code"]] = r["charge"]

    def imp_prices(self, r):
        self.prices.setdefault(r["product"], []).append((day(r["valid_from"]), cents(r["monthly"])))

    def imp_usage_prices(self, r):
        tiers = []
        for t in r["tiers"].split(";"):
            a, b = t.split(":")
            tiers.append((int(a), micros(b)))
        self.uprices.setdefault(r["product"], []).append(
            (day(r["valid_from"]), int(r["included"]), tiers))

    def imp_fees(self, r):
        self.fees.append((r["action"], r["product"], day(r["valid_from"]), cents(r["amount"])))

    def imp_tax_rates(self, r):
        self.taxes.setdefault(r["jurisdiction"], {}).setdefault(r["tax"], []).append(
            (day(r["valid_from"]), ppm(r["rate"])))

    def imp_customers(self, r):
        self.customers[r["code"]] = {
            "jur": "%s-%s" % (r["country"], r["region"]),
            "terms": int(r["terms_days"] or "30")}

    def imp_sites(self, r):
        self.sites[(r["customer"], r["code"])] = "%s-%s" % (r["country"], r["region"])

    def imp_cost_centres(self, r):
        pass

    def imp_assets(self, r):
        self.assets[r["tag"]] = Asset(r["tag"], r["customer"], r["site"], r["cost_centre"],
                                      r["product"], int(r["ports"] or "1"), day(r["installed_on"]))

    def imp_orders(self, r):
        d = day(r["completed_on"])
        act, tag = r["action"], r["asset_tag"]
        if act == "add":
            a = Asset(tag, r["customer"], r["site"], r["cost_centre"], r["product"],
                      int(r["ports"] or "1"), d)
            self.assets[tag] = a
        else:
            a = self.assets[tag]
            _, site, cc, prod, ports = a.state(d)
            before = (site, cc, prod)
            if act == "move":
                site, cc = r["site"] or site, r["cost_centre"] or cc
            elif act == "change":
                prod = r["product"] or prod
                ports = int(r["ports"]) if r["ports"] else ports
            if act == "disconnect":
                a.removed = d
            else:
                a.states.append((d, site, cc, prod, ports))
        s = a.state(d)
        if act == "disconnect":
            site, cc, prod = before
        else:
            site, cc, prod = s[1], s[2], s[3]
        self.orders.append({"ref": "%s/%s" % (r["order_ref"], r["line"]), "action": act,
                            "tag": tag, "cust": a.cust, "date": d, "site": site, "cc": cc,
                            "prod": prod,
                            "override": cents(r["fee_override"]) if r["fee_override"] else None})

    def imp_usage(self, r):
        self.usage.append((r["asset_tag"], day(r["date"]), int(r["quantity"])))

    def imp_payments(self, r):
        self.payments.append((r["reference"], r["customer"], day(r["date"]), cents(r["amount"])))

    def imp_adjustments(self, r):
        self.adjustments.append((r["reference"], r["customer"], day(r["date"]), cents(r["amount"]),
                                 r["taxable"] == "yes", r["site"], r["cost_centre"]))

    # -------------------------------------------------------- rating
    def jur(self, cust, site):
        return self.sites[(cust, site)] if site else self.customers[cust]["jur"]

    def bill(self, cust, p):
        """bill(C, P), computed once for each state of the data that
        can change it (the catalog, the customer's own rows)."""
        v = (self.gen, self.cgen.get(cust, 0))
        hit = self.cache.get((cust, p))
        if hit is None or hit[0] != v:
            hit = (v, self.bill_now(cust, p))
            self.cache[(cust, p)] = hit
        return hit[1]

    def bill_now(self, cust, p):
        """bill(C, P): the lines, each a dict with key (kind, ref, site,
        cc, product), amount, taxable, from, plus quantity/billable."""
        first, last = period_bounds(p)
        D = (last - first).days + 1
        lines = []
        for a in sorted(self.assets.values(), key=lambda x: x.tag):
            if a.cust != cust:
                continue
            seg = None
            d = first
            lastin = None
            while d <= last:
                if a.in_service(d):
                    lastin = d
                    _, site, cc, prod, ports = a.state(d)
                    pr = effective(self.prices.get(prod, []), d)
                    if pr is not None:
                        per_port = self.products[prod] == "per_port"
                        k = (site, cc, prod, pr[1], ports if per_port else 1)
                        if seg and seg["k"] == k and seg["to"] == d - ONE:
                            seg["to"], seg["days"] = d, seg["days"] + 1
                        else:
                            seg = {"k": k, "from": d, "to": d, "days": 1}
                            lines.append(("R", a, seg))
                    else:
                        seg = None
                else:
                    seg = None
                d += ONE
            a._lastin = lastin
        out = []
        for _, a, s in lines:
            site, cc, prod, monthly, qty = s["k"]
            out.append({"key": ("recurring", a.tag, site, cc, prod), "from": s["from"],
                        "amount": rnd(monthly * qty * s["days"], D), "taxable": True,
                        "quantity": qty, "days": s["days"]})
        # usage
        for a in sorted(self.assets.values(), key=lambda x: x.tag):
            if a.cust != cust:
                continue
            recs = [q for t, d, q in self.usage if t == a.tag and first <= d <= last]
            if not recs or a._lastin is None:
                continue
            _, site, cc, prod, _ = a.state(a._lastin)
            up = effective(self.uprices.get(prod, []), first)
            if up is None:
                continue
            Q = sum(recs)
            billable = max(0, Q - up[1])
            tiers = up[2]
            m = 0
            for i, (frm, rate) in enumerate(tiers):
                to = tiers[i + 1][0] if i + 1 < len(tiers) else None
                n = max(0, (billable if to is None else min(billable, to)) - frm)
                m += n * rate
            out.append({"key": ("usage", a.tag, site, cc, prod), "from": first,
                        "amount": rnd(m, 10000), "taxable": True, "quantity": Q,
                        "billable": billable})
        # one-time
        for o in self.orders:
            if o["cust"] != cust or not first <= o["date"] <= last:
                continue
            amt = o["override"]
            if amt is None:
                spec = effective([(f[2], f[3]) for f in self.fees
                                  if f[0] == o["action"] and f[1] == o["prod"]], o["date"])
                anyp = effective([(f[2], f[3]) for f in self.fees
                                  if f[0] == o["action"] and f[1] == ""], o["date"])
                fee = spec or anyp
                if fee is None:
                    continue
                amt = fee[1]
            out.append({"key": ("one-time", o["ref"], o["site"], o["cc"], o["prod"]),
                        "from": o["date"], "amount": amt, "taxable": True})
        for ref, c, d, amt, tx, site, cc in self.adjustments:
            if c == cust and first <= d <= last:
                out.append({"key": ("adjustment", ref, site, cc, ""), "from": d,
                            "amount": amt, "taxable": tx})
        return out

    # ------------------------------------------------------- issuing
    def issue(self, p):
        first, last = period_bounds(p)
        invs = {}
        for c in sorted(self.customers, key=lambda s: s.encode()):
            lines = [dict(l, corr=None) for l in self.bill(c, p)]
            # corrections of every earlier issued period
            for q in self.issued:
                already = {}
                for qq in self.issued:
                    inv = self.invoices[qq].get(c)
                    if inv is None:
                        continue
                    for l in inv["lines"]:
                        if (l["corr"] or qq) == q:
                            already[l["key"]] = already.get(l["key"], 0) + l["amount"]
                now = {}
                taxable = {}
                for l in self.bill(c, q):
                    now[l["key"]] = now.get(l["key"], 0) + l["amount"]
                    taxable[l["key"]] = l["taxable"]
                for qq in self.issued:
                    inv = self.invoices[qq].get(c)
                    for l in (inv["lines"] if inv else []):
                        if (l["corr"] or qq) == q:
                            taxable.setdefault(l["key"], l["taxable"])
                for k in sorted(set(now) | set(already)):
                    diff = now.get(k, 0) - already.get(k, 0)
                    if diff:
                        lines.append({"key": k, "from": None, "amount": diff,
                                      "taxable": taxable[k], "corr": q})
            prev = None
            for qq in reversed(self.issued):
                if c in self.invoices[qq]:
                    prev = self.invoices[qq][c]
                    break
            prevbal = prev["total_due"] if prev else 0
            pays = [x for x in self.payments
                    if x[1] == c and x[2] <= last and x[0] not in self.reported]
            if not lines and not pays and prevbal == 0:
                continue
            for x in pays:
                self.reported.add(x[0])
            base = {}
            for l in lines:
                if l["taxable"]:
                    j = self.jur(c, l["key"][2])
                    base[j] = base.get(j, 0) + l["amount"]
            taxes = []
            for j in sorted(base):
                for code in sorted(self.taxes.get(j, {})):
                    r = effective(self.taxes[j][code], last)
                    if r is not None:
                        taxes.append((j, code, base[j], rnd(base[j] * r[1], 1000000)))
            subtotal = sum(l["amount"] for l in lines)
            current = subtotal + sum(t[3] for t in taxes)
            paid = sum(x[3] for x in pays)
            inv = {"cust": c, "period": p, "lines": lines, "taxes": taxes,
                   "subtotal": subtotal, "current": current, "previous": prevbal,
                   "payments": paid, "total_due": prevbal - paid + current,
                   "date": last, "due": last + dt.timedelta(days=self.customers[c]["terms"])}
            # outstanding: all payments reported so far plus the negative
            # current charges of earlier invoices, applied oldest first
            earlier = [self.invoices[qq][c] for qq in self.issued if c in self.invoices[qq]]
            pool = sum(x[3] for x in self.payments if x[1] == c and x[0] in self.reported)
            pool += sum(-e["current"] for e in earlier if e["current"] < 0)
            outs = []
            for e in earlier:
                if e["current"] <= 0:
                    continue
                use = min(pool, e["current"])
                pool -= use
                left = e["current"] - use
                if left > 0:
                    outs.append((e, left, (last - e["due"]).days))
            inv["outstanding"] = outs
            ag = [0, 0, 0, 0, 0]
            for e, left, past in outs:
                ag[0 if past <= 0 else 1 if past <= 30 else 2 if past <= 60 else
                   3 if past <= 90 else 4] += left
            inv["aging"] = ag
            # the report's rows: (site, cc) -> [ports on the last day, charge]
            rows = {}
            for a in self.assets.values():
                if a.cust == c and a.in_service(last):
                    _, site, cc, _, ports = a.state(last)
                    r = rows.setdefault((site, cc), [0, 0])
                    r[0] += ports
            for l in lines:
                r = rows.setdefault((l["key"][2], l["key"][3]), [0, 0])
                r[1] += l["amount"]
            inv["rows"] = {k: v for k, v in rows.items() if v[0] > 0 or
                           any((l["key"][2], l["key"][3]) == k for l in lines)}
            invs[c] = inv
        for c in sorted(invs, key=lambda s: s.encode()):
            self.number += 1
            invs[c]["number"] = self.number
        self.invoices[p] = invs
        self.issued.append(p)


def replay(manifest, upto, each=None):
    """The model after the manifest's lines up to the issue of upto (all
    of them when None); each(model, period) after every issue."""
    m = Model()
    base = os.path.dirname(os.path.abspath(manifest))
    with open(manifest, encoding="utf-8") as f:
        for ln in f:
            w = ln.split()
            if not w:
                continue
            if w[0] == "import":
                m.load(w[2], os.path.join(base, w[3]) if not w[3].startswith("/") else w[3])
            elif w[0] == "issue" and w[2] not in m.issued:
                m.issue(w[2])
                if each:
                    each(m, w[2])
                if w[2] == upto:
                    break
    return m


# ------------------------------------------------------------ checking
def ref_of(l):
    for k in ("asset_tag", "order_line", "adjustment"):
        if l.find(k) is not None:
            return l.findtext(k)
    return ""


def got_invoice(path):
    doc = ET.parse(path).getroot()[0]
    lines = []
    for l in doc.iter("line"):
        lines.append((l.findtext("kind"), ref_of(l), l.findtext("site") or "",
                      l.findtext("cost_centre") or "", l.findtext("product") or "",
                      l.findtext("correction") or "", l.findtext("from") or "",
                      int(l.findtext("amount"))))
    v = lambda k: int(doc.findtext(k))
    return {
        "number": v("number"), "invoice_date": doc.findtext("invoice_date"),
        "due_date": doc.findtext("due_date"), "lines": sorted(lines),
        "usage": sorted((ref_of(l), l.findtext("quantity"), l.findtext("billable"))
                        for l in doc.iter("line") if l.findtext("kind") == "usage"
                        and l.find("correction") is None),
        "taxes": [(t.findtext("jurisdiction"), t.findtext("code"), int(t.findtext("base")),
                   int(t.findtext("amount"))) for t in doc.find("taxes").iter("tax")]
        if doc.find("taxes") is not None else [],
        "sums": (v("subtotal"), v("current_charges")),
        "balance": (v("previous_balance"), v("payments"), v("total_due")),
        "outstanding": [(int(e.findtext("number")), e.findtext("period"), e.findtext("due_date"),
                         int(e.findtext("amount_left")), int(e.findtext("days_past_due")))
                        for e in doc.iter("earlier")],
        "aging": [int(doc.findtext("aging/" + k) or 0) for k in
                  ("not_due", "days_1_30", "days_31_60", "days_61_90", "days_over_90")],
    }


def got_report(path):
    doc = ET.parse(path).getroot()[0]
    rows = {}
    for r in doc.find("rows").findall("row"):
        rows[(r.findtext("site") or "", r.findtext("cost_centre") or "")] = \
            [int(r.findtext("ports")), int(r.findtext("charge"))]
    t = doc.find("totals")
    return rows, (int(t.findtext("total_before_tax")), int(t.findtext("current_charges")),
                  int(t.findtext("total_due")))


def want_invoice(inv):
    ls = []
    for l in inv["lines"]:
        k = l["key"]
        ls.append((k[0], k[1], k[2] or "", k[3] or "", k[4] or "", l["corr"] or "",
                   "" if l["corr"] else l["from"].isoformat(), l["amount"]))
    return {
        "number": inv["number"], "invoice_date": inv["date"].isoformat(),
        "due_date": inv["due"].isoformat(), "lines": sorted(ls),
        "usage": sorted((l["key"][1], str(l["quantity"]), str(l["billable"]))
                        for l in inv["lines"] if l["key"][0] == "usage" and not l["corr"]),
        "taxes": sorted(inv["taxes"]),
        "sums": (inv["subtotal"], inv["current"]),
        "balance": (inv["previous"], inv["payments"], inv["total_due"]),
        "outstanding": [(e["number"], e["period"], e["due"].isoformat(), left, past)
                        for e, left, past in inv["outstanding"]],
        "aging": inv["aging"],
    }


FIELDS = [("number", "invoice number"), ("due_date", "invoice and due dates"),
          ("lines", "lines (kind, what, site, cost centre, product, correction, from, amount)"),
          ("usage", "usage quantities and billable units"), ("taxes", "taxes (base, amount)"),
          ("sums", "subtotal and current charges"),
          ("balance", "previous balance, payments, total due"),
          ("outstanding", "outstanding earlier invoices"), ("aging", "aging buckets")]


def check(m, d, period, named):
    want = m.invoices[period]
    res = []

    def out(ok, name, diag=""):
        res.append("%s\t%s\t%s" % ("ok" if ok else "not ok", name, diag))

    files = sorted(f for f in os.listdir(d) if f.endswith("-invoice.xml"))
    got_codes = [f[:-len("-%s-invoice.xml" % period)] for f in files]
    out(sorted(got_codes) == sorted(want),
        "%s: an invoice for exactly the customers the model bills (%d)" % (period, len(want)),
        "got %s, want %s" % (sorted(set(got_codes) ^ set(want)), ""))
    bad_others = []
    for c in sorted(want):
        f = os.path.join(d, "%s-%s-invoice.xml" % (c, period))
        if not os.path.exists(f):
            if c in named:
                out(False, "%s %s: the invoice exists" % (c, period))
            else:
                bad_others.append(c)
            continue
        g, w = got_invoice(f), want_invoice(want[c])
        w["due_date"] = (w["invoice_date"], w["due_date"])
        g["due_date"] = (g["invoice_date"], g["due_date"])
        rows, tot = got_report(f.replace("-invoice.xml", "-report.xml"))
        wrows = {(k[0] or "", k[1] or ""): v for k, v in want[c]["rows"].items()}
        wtot = (want[c]["subtotal"], want[c]["current"], want[c]["total_due"])
        if c in named:
            for k, name in FIELDS:
                out(g[k] == w[k], "%s %s: %s %s" % (c, period, name, _short(w[k])),
                    "got %r want %r" % (g[k], w[k]))
            out(rows == wrows and tot == wtot,
                "%s %s: report rows (ports, charge) and totals" % (c, period),
                "got %r %r want %r %r" % (rows, tot, wrows, wtot))
        else:
            if any(g[k] != w[k] for k, _ in FIELDS) or rows != wrows or tot != wtot:
                bad_others.append(c)
    others = [c for c in want if c not in named]
    if others:
        out(not bad_others, "%s: the %d generated customers' invoices and reports" %
            (period, len(others)), "differ: %s" % " ".join(bad_others[:10]))
    print("\n".join(res))
    sys.stdout.flush()


def _short(v):
    s = repr(v) if not isinstance(v, str) else v
    if isinstance(v, tuple):
        s = "/".join(str(x) for x in v)
    if isinstance(v, list) and v and isinstance(v[0], int):
        s = "/".join(str(x) for x in v)
    return "" if len(s) > 60 else "(%s)" % s


if __name__ == "__main__":
    if sys.argv[1] == "check":
        replay(sys.argv[2], None, lambda m, p: check(m, os.path.join(sys.argv[3], p), p,
                                                   set(sys.argv[4:])))
    elif sys.argv[1] == "same":
        # same ROOT1 ROOT2: the documents under both, without the database
        # ids (id="..." and *_id="..." attributes: surrogate keys, which
        # a killed run's rolled-back inserts may shift on MariaDB, where
        # AUTO_INCREMENT is not transactional); prints what differs.
        import re
        ids = re.compile(rb' [a-z_]*id="[0-9]+"')
        a, b = sys.argv[2], sys.argv[3]
        fa = sorted(os.path.relpath(os.path.join(d, f), a)
                    for d, _, fs in os.walk(a) for f in fs)
        fb = sorted(os.path.relpath(os.path.join(d, f), b)
                    for d, _, fs in os.walk(b) for f in fs)
        bad = sorted(set(fa) ^ set(fb))
        for f in sorted(set(fa) & set(fb)):
            with open(os.path.join(a, f), "rb") as x, open(os.path.join(b, f), "rb") as y:
                if ids.sub(b"", x.read()) != ids.sub(b"", y.read()):
                    bad.append(f)
        print("%d documents" % len(fa))
        for f in bad[:20]:
            print("differs: " + f)
        sys.exit(1 if bad or not fa else 0)
    elif sys.argv[1] == "get":
        # get FILE: "kind:what[:correction]=amount" of each line, in
        # the invoice's order, then each tax "jurisdiction/code=amount"
        doc = ET.parse(sys.argv[2]).getroot()[0]
        out = []
        for l in doc.iter("line"):
            c = l.findtext("correction")
            out.append("%s:%s%s=%s" % (l.findtext("kind"), ref_of(l), ":" + c if c else "",
                                       l.findtext("amount")))
        for t in doc.iter("tax"):
            out.append("%s/%s=%s" % (t.findtext("jurisdiction"), t.findtext("code"),
                                     t.findtext("amount")))
        print(" ".join(out))
    elif sys.argv[1] == "due":
        m = replay(sys.argv[2], sys.argv[3])
        t = m.invoices[sys.argv[3]][sys.argv[4]]["total_due"]
        print("%s%d.%02d" % ("-" if t < 0 else "", abs(t) // 100, abs(t) % 100))
