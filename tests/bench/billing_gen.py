#!/usr/bin/env python3
"""billing_gen.py: deterministic CSV files for the billing benchmark
(tests/bench/billing.sh), in the formats of BILLING.md, for the data
that tests/bench/import_gen.py writes with the same arguments.

    billing_gen.py DIR CUSTOMERS SITES_PER_CUSTOMER ASSETS_PER_CUSTOMER PERIOD [EVERY]

Run after import_gen.py on the same DIR: rewrites DIR/products.csv (the
same three products, the line with a usage unit, and a second line
product, BENCH-LINE2) and writes prices.csv (catalog prices from
2020-01-01), usage-prices.csv (the lines: 100 minutes included, two
tiers), fees.csv (move and change, any product), tax-rates.csv (CA-ON
HST) and orders.csv: one completed order for every EVERYth asset
(default 20: 5 %), completed in PERIOD (YYYY-MM) on day tag % 28 + 1
(EVERY even: half moves, half changes); every other one a move (to the customer's next site, the other cost centre), the others
a change (a line to BENCH-LINE2, anything else to 2 ports).  The asset
rows are recomputed the way import_gen.py lays them out.  The same
arguments give the same bytes (no randomness, no clock)."""
import os
import sys


def main():
    out, ncust, nsites, nassets = sys.argv[1], *map(int, sys.argv[2:5])
    period = sys.argv[5]
    every = int(sys.argv[6]) if len(sys.argv) > 6 else 20
    w = lambda name: open(os.path.join(out, name), "w", newline="")
    with w("products.csv") as f:
        f.write("code,name,asset_type,charge,usage_unit\n")
        f.write("BENCH-LINE,Bench line,line,flat,minute\n")
        f.write("BENCH-SET,\"Bench set, desk\",set,flat,\n")
        f.write("BENCH-MBX,Bench mailbox,mailbox,flat,\n")
        f.write("BENCH-LINE2,Bench line plus,line,flat,minute\n")
    with w("prices.csv") as f:
        f.write("product,valid_from,monthly\n")
        f.write("BENCH-LINE,2020-01-01,25.00\nBENCH-SET,2020-01-01,12.50\n"
                "BENCH-MBX,2020-01-01,4.00\nBENCH-LINE2,2020-01-01,31.00\n")
    with w("usage-prices.csv") as f:
        f.write("product,valid_from,unit,included,tiers\n")
        for p in ("BENCH-LINE", "BENCH-LINE2"):
            f.write(f"{p},2020-01-01,minute,100,0:0.0350;1000:0.0300\n")
    with w("fees.csv") as f:
        f.write("action,product,valid_from,amount\n")
        f.write("move,,2020-01-01,50.00\nchange,,2020-01-01,25.00\n")
    with w("tax-rates.csv") as f:
        f.write("jurisdiction,tax,valid_from,rate\nCA-ON,HST,2020-01-01,13\n")
    products = ("BENCH-LINE", "BENCH-SET", "BENCH-MBX")
    with w("orders.csv") as f:
        f.write("order_ref,line,action,customer,asset_tag,site,cost_centre,"
                "product,ports,phone_number,extension,mailbox,serial,"
                "parent_tag,requested_on,completed_on,fee_override,reason\n")
        rows = []
        for tag in range(every, ncust * nassets + 1, every):
            c = (tag - 1) // nassets + 1
            a = (tag - 1) % nassets
            big = (c - 1) % 100 == 0
            s = 1 if big else a % nsites + 1
            day = f"{period}-{tag % 28 + 1:02d}"
            head = f"BO{tag:08d},1,%s,BC{c:05d},B{tag:08d},"
            if tag % (2 * every) == 0:
                rows.append(head % "move" + f"S{s % nsites + 1:03d},"
                            f"CC{(tag + 1) % 2 + 1},,,,,,,,{day},{day},,\n")
            elif products[tag % 3] == "BENCH-LINE":
                rows.append(head % "change" + f",,BENCH-LINE2,,,,,,,{day},{day},,\n")
            else:
                rows.append(head % "change" + f",,,2,,,,,,{day},{day},,\n")
            if len(rows) == 10000:
                f.write("".join(rows))
                rows = []
        f.write("".join(rows))


main()
