#!/usr/bin/env python3
"""Writes the DataCo-format test fixture (deterministic; rerun only to change it):

  fixture.csv         UTF-8, the dataset's 53 columns in its order, rows sorted by order date
  fixture_latin1.csv  the same rows shuffled, encoded Latin-1
  fixture_bom.csv     the same rows shuffled differently, UTF-8 with a BOM, columns in another
                      order plus an unknown extra column

`make_fixture.py --big N FILE` writes N good rows to FILE instead (for the benchmark).

Every payment Type, Order Status, Delivery Status, Market, Shipping Mode and Customer Segment
occurs; money has up to 8 fraction digits like the real file; some values carry trailing
spaces, some optional columns are empty, some values hold quoted commas and non-ASCII letters.
Ten good rows appear twice (a replay: counted once). Bad rows carry "BAD" in Customer Email (a
column the engine does not read) so that the SQL in expected_marts.sql can leave them out.
"""
import csv
import io
import random
import sys

COLUMNS = [
    "Type", "Days for shipping (real)", "Days for shipment (scheduled)", "Benefit per order",
    "Sales per customer", "Delivery Status", "Late_delivery_risk", "Category Id", "Category Name",
    "Customer City", "Customer Country", "Customer Email", "Customer Fname", "Customer Id",
    "Customer Lname", "Customer Password", "Customer Segment", "Customer State", "Customer Street",
    "Customer Zipcode", "Department Id", "Department Name", "Latitude", "Longitude", "Market",
    "Order City", "Order Country", "Order Customer Id", "order date (DateOrders)", "Order Id",
    "Order Item Cardprod Id", "Order Item Discount", "Order Item Discount Rate", "Order Item Id",
    "Order Item Product Price", "Order Item Profit Ratio", "Order Item Quantity", "Sales",
    "Order Item Total", "Order Profit Per Order", "Order Region", "Order State", "Order Status",
    "Order Zipcode", "Product Card Id", "Product Category Id", "Product Description",
    "Product Image", "Product Name", "Product Price", "Product Status",
    "shipping date (DateOrders)", "Shipping Mode",
]
TYPES = ["DEBIT", "TRANSFER", "CASH", "PAYMENT"]
ORDER_STATUSES = ["COMPLETE", "PENDING", "CLOSED", "PENDING_PAYMENT", "CANCELED", "PROCESSING",
                  "SUSPECTED_FRAUD", "ON_HOLD", "PAYMENT_REVIEW"]
DELIVERY = ["Advance shipping", "Late delivery", "Shipping on time", "Shipping canceled"]
MARKETS = {"Africa": ("Lagos", "Nigeria", "West Africa"), "Europe": ("Düsseldorf", "Alemania", "Western Europe"),
           "LATAM": ("São Paulo", "Brasil", "South America"), "Pacific Asia": ("Jakarta", "Indonesia", "Southeast Asia"),
           "USCA": ("Washington, D.C.", "Estados Unidos", "East of USA")}
MODES = {"Standard Class": 4, "Second Class": 2, "First Class": 1, "Same Day": 0}
SEGMENTS = ["Consumer", "Corporate", "Home Office"]
PRODUCTS = [  # (id, name, price, category id, category, department id, department)
    (1360, "Smart watch ", "327.75", 73, "Sporting Goods", 2, "Fitness"),
    (365, "Perfect Fitness Perfect Rip Deck", "59.99000168", 17, "Cleats", 4, "Apparel"),
    (957, "Diamondback Women's Serene Classic Comfort Bi", "299.980011", 43, "Camping & Hiking", 5, "Outdoors"),
    (1004, "Field & Stream Sportsman 16 Gun Fire Safe", "399.980011", 45, "Fishing", 7, "Fan Shop"),
    (191, "Nike Men's Free 5.0+ Running Shoe, Size 10", "99.98999786", 9, "Cardio Equipment", 3, "Footwear"),
    (1014, "O'Brien Men's Neoprene Life Vest", "49.97999954", 46, "Indoor/Outdoor Games", 7, "Fan Shop"),
    (627, "Under Armour Girls' Toddler Spine Surge Runni", "39.99000168", 29, "Shop By Sport", 5, "Golf"),
    (502, "Nike Men's Dri-FIT Victory Golf Polo", "50", 24, "Women's Apparel", 5, "Golf"),
    (1073, "Pelican Sunstream 100 Kayak", "199.9900055", 48, "Water Sports", 7, "Fan Shop"),
    (172, "Garmin Forerunner 910XT GPS Watch, Black", "349.98999", 8, "Technology", 6, "Technology"),
]


def money(x, digits=8):
    """Decimal text like the real file's (float artefacts): strip trailing zeros."""
    s = f"{x:.{digits}f}".rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def date_text(rng, year, month):
    return f"{month}/{rng.randint(1, 28)}/{year} {rng.randint(0, 23)}:{rng.randint(0, 59):02d}"


def make_rows(orders=150, seed=20261128):
    rng = random.Random(seed)
    customers = [(1000 + i, rng.choice(SEGMENTS)) for i in range(60)]
    # Make sure every segment occurs.
    customers[0] = (customers[0][0], "Consumer")
    customers[1] = (customers[1][0], "Corporate")
    customers[2] = (customers[2][0], "Home Office")
    rows = []
    item_id = 100
    months = [(y, m) for y in (2015, 2016, 2017) for m in range(1, 13)] + [(2018, 1)]
    for n in range(orders):
        order_id = 5000 + n
        cust_id, segment = customers[rng.randrange(len(customers))] if n >= 9 else customers[n % 3]
        year, month = months[rng.randrange(len(months))]
        order_date = date_text(rng, year, month)
        pay = TYPES[n % 4] if n < 8 else rng.choice(TYPES)
        status = ORDER_STATUSES[n % 9] if n < 18 else rng.choice(ORDER_STATUSES + ["SUSPECTED_FRAUD", "COMPLETE"])
        market = list(MARKETS)[n % 5] if n < 10 else rng.choice(list(MARKETS))
        delivery = DELIVERY[n % 4] if n < 8 else rng.choice(DELIVERY)
        mode = list(MODES)[n % 4] if n < 8 else rng.choice(list(MODES))
        scheduled = MODES[mode]
        real = {"Advance shipping": max(0, scheduled - 1), "Late delivery": scheduled + rng.randint(1, 4),
                "Shipping on time": scheduled, "Shipping canceled": rng.randint(0, 6)}[delivery]
        late = 1 if real > scheduled else 0
        city, country, region = MARKETS[market]
        for _ in range(rng.randint(1, 4)):
            pid, pname, price, cat_id, cat, dep_id, dep = rng.choice(PRODUCTS)
            qty = rng.randint(1, 5)
            rate = rng.choice([0, 0.01, 0.05, 0.1, 0.13, 0.25])
            sales = float(price) * qty
            discount = sales * rate
            total = sales - discount
            ratio = rng.uniform(-0.8, 0.5)
            profit = total * ratio
            item_id += rng.randint(1, 3)
            r = {c: "" for c in COLUMNS}
            r.update({
                "Type": pay + (" " if rng.random() < 0.1 else ""),
                "Days for shipping (real)": str(real), "Days for shipment (scheduled)": str(scheduled),
                "Benefit per order": money(profit), "Sales per customer": money(total),
                "Delivery Status": delivery, "Late_delivery_risk": str(late), "Category Id": str(cat_id),
                "Category Name": cat, "Customer City": "Caguas", "Customer Country": "Puerto Rico",
                "Customer Email": "XXXXXXXXX", "Customer Fname": rng.choice(["Mary", "José", "Zoë", "Ann"]),
                "Customer Id": str(cust_id), "Customer Lname": rng.choice(["Smith", "", "Muñoz"]),
                "Customer Password": "XXXXXXXXX", "Customer Segment": segment, "Customer State": "PR",
                "Customer Street": "5365 Noble Nectar Island", "Customer Zipcode": "725",
                "Department Id": str(dep_id), "Department Name": dep, "Latitude": "18.2514534",
                "Longitude": "-66.03705597", "Market": market, "Order City": city, "Order Country": country,
                "Order Customer Id": str(cust_id), "order date (DateOrders)": order_date,
                "Order Id": str(order_id), "Order Item Cardprod Id": str(pid), "Order Item Discount": money(discount),
                "Order Item Discount Rate": str(rate), "Order Item Id": str(item_id),
                "Order Item Product Price": price, "Order Item Profit Ratio": money(ratio, 2),
                "Order Item Quantity": str(qty), "Sales": money(sales), "Order Item Total": money(total),
                "Order Profit Per Order": money(profit), "Order Region": region,
                "Order State": rng.choice(["Jawa Barat", "Île-de-France", "District of Columbia"]),
                "Order Status": status, "Order Zipcode": "", "Product Card Id": str(pid),
                "Product Category Id": str(cat_id), "Product Description": "",
                "Product Image": f"http://images.acmesports.sports/{pid}", "Product Name": pname,
                "Product Price": price, "Product Status": "0",
                "shipping date (DateOrders)": order_date, "Shipping Mode": mode + (" " if rng.random() < 0.1 else ""),
            })
            rows.append(r)
    return rows


def bad_rows(template):
    bad = []
    def variant(item_id, **changes):
        r = dict(template)
        r["Customer Email"] = "BAD"
        r["Order Item Id"] = str(item_id)
        r.update(changes)
        bad.append(r)
    variant(90001, **{"order date (DateOrders)": "2018-01-31 22:56"})
    variant(90002, **{"order date (DateOrders)": "2/30/2017 10:00"})
    variant(90003, Sales="12,5")
    variant(90004, **{"Order Item Total": "abc"})
    variant(90005, **{"Order Item Id": ""})
    variant(90006, Late_delivery_risk="2")
    variant(90007, **{"Days for shipping (real)": "-1"})
    variant(90008, Type="   ")
    variant(90009, **{"Order Customer Id": "x12"})
    variant(90010, **{"Order Item Quantity": "0"})
    variant(90011, **{"Order Item Discount": "1e3"})
    return bad


def to_csv(rows, columns, extra=False):
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(columns + (["Ledgerflow Extra"] if extra else []))
    for r in rows:
        if r is None:  # a short record: wrong number of fields
            w.writerow(["DEBIT", "2", "4", "1.5"] + ["BAD"] * 10)
            continue
        w.writerow([r[c] for c in columns] + (["ignored, quoted"] if extra else []))
    return out.getvalue()


def big(path, lines):
    """A large file for `ledgerflow bench --source dataco` (about 2.5 lines per order)."""
    rows = make_rows(orders=lines * 2 // 5 + 1, seed=7)[:lines]
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(to_csv(rows, COLUMNS))
    print(f"{len(rows)} rows in {path}")


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "--big":
        return big(sys.argv[3], int(sys.argv[2]))
    good = make_rows()
    def key(r):
        mdy, hm = r["order date (DateOrders)"].split(" ")
        m, d, y = (int(x) for x in mdy.split("/"))
        return (y, m, d, tuple(int(x) for x in hm.split(":")), int(r["Order Item Id"]))
    rng = random.Random(6)
    dups = [dict(r) for r in rng.sample(good, 10)]
    rows = sorted(good, key=key) + dups + bad_rows(good[0]) + [None]
    # Interleave the duplicates and bad rows among the sorted good rows, deterministically.
    tail = rows[len(good):]
    rows = rows[:len(good)]
    for i, r in enumerate(tail):
        rows.insert((i * 37 + 5) % len(rows), r)
    with open("fixture.csv", "w", encoding="utf-8", newline="") as f:
        f.write(to_csv(rows, COLUMNS))
    shuffled = list(rows)
    random.Random(1).shuffle(shuffled)
    with open("fixture_latin1.csv", "w", encoding="latin-1", newline="") as f:
        f.write(to_csv(shuffled, COLUMNS))
    random.Random(2).shuffle(shuffled)
    cols = list(COLUMNS)
    random.Random(3).shuffle(cols)
    with open("fixture_bom.csv", "w", encoding="utf-8-sig", newline="") as f:
        f.write(to_csv(shuffled, cols, extra=True))
    print(f"{len(good)} good rows, {len(dups)} duplicates, {len(tail) - len(dups)} bad rows")


if __name__ == "__main__":
    main()
