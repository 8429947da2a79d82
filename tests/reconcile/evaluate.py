#!/usr/bin/env python3
"""Matching judged on a labelled set.

Books from arctl-gen; statements from arctl-bankgen in three formats
(camt.053, MT940, BAI2), whose answers are known: which customer each
credit is from and what it pays (invoices and amounts, a discount, bank
charges written off, what stays on account), or that no posting is right
(a payer the books do not know, invoices of two customers). Each statement
is imported into its own copy of the books and `arctl reconcile match
--format csv` is compared with the answers:

  precision = right matches among those marked "post"
  recall    = right matches marked "post" among credits with a right answer

Then the statement is posted (`--post`), `arctl check` must pass, matching
again must not propose a credit posted, and the credits posted must be off
the exceptions of `arctl reconcile status`. A second statement for the same
books (the camt.053 round) then shows the payers' accounts learned from the
first.

Fails when precision is below --min-precision or recall below --min-recall
(per cent, over all statements).

Usage: evaluate.py ARCTL ARCTL_GEN ARCTL_BANKGEN WORK_DIR
         [--invoices N] [--lines N] [--min-precision P] [--min-recall R]
"""
import argparse
import csv
import io
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path


def run(*args, ok=(0,)):
    p = subprocess.run([str(a) for a in args], capture_output=True, text=True)
    if p.returncode not in ok:
        sys.exit(f"evaluate: {' '.join(map(str, args))} exited {p.returncode}:\n"
                 f"{p.stderr[:2000]}")
    return p.stdout


def answer_of(pays):
    """'INV=1.00;INV2=2.00+writeoff=0.50' -> comparable parts."""
    parts = pays.split("+")
    applies = frozenset(parts[0].split(";")) if parts[0] else frozenset()
    extra = {"discount": Decimal(0), "writeoff": Decimal(0),
             "unapplied": Decimal(0)}
    for part in parts[1:]:
        key, value = part.split("=")
        extra[key] = Decimal(value)
    return applies, extra


def proposal_of(row):
    applies = frozenset(row["applies"].split(";")) if row["applies"] else frozenset()

    def total(column):
        return sum((Decimal(x.split("=")[1]) for x in row[column].split(";") if x),
                   Decimal(0))
    return applies, {"discount": total("discounts"),
                     "writeoff": total("writeoffs"),
                     "unapplied": Decimal(row["unapplied"] or "0")}


def judge(arctl, books, statement, answers_file):
    answers = {r["bank_tx"]: r for r in csv.DictReader(open(answers_file))}
    # bank.csv keeps the bank's own id beside arctl's, and the file each
    # came from: the credits of earlier statements left unmatched are not
    # this statement's.
    ids = {r["id"]: r["bank_tx"]
           for r in csv.DictReader(open(books / "bank.csv"))
           if r["source"].startswith(statement.name + ":")}
    out = run(arctl, "--books", books, "reconcile", "match", "--format", "csv")
    rows = [r for r in csv.DictReader(io.StringIO(out)) if r["bank"] in ids]
    stats = {"lines": len(rows), "answerable": 0, "posted": 0, "right": 0,
             "wrong": [], "missed": [], "posted_ids": set()}
    for row in rows:
        truth = answers[ids[row["bank"]]]
        answerable = truth["pays"] != ""
        stats["answerable"] += answerable
        if row["status"] != "post":
            if answerable:
                stats["missed"].append((truth["kind"], row["status"],
                                        row["rule"], row["confidence"]))
            continue
        stats["posted"] += 1
        stats["posted_ids"].add(row["bank"])
        right = (answerable and row["customer"] == truth["customer"]
                 and proposal_of(row) == answer_of(truth["pays"]))
        if right:
            stats["right"] += 1
        else:
            stats["wrong"].append((truth["kind"], row["bank"], row["rule"],
                                   row["applies"], truth["pays"]))
    return stats


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("arctl")
    ap.add_argument("gen")
    ap.add_argument("bankgen")
    ap.add_argument("work")
    ap.add_argument("--invoices", type=int, default=10000)
    ap.add_argument("--lines", type=int, default=300)
    ap.add_argument("--min-precision", type=Decimal, default=Decimal("99.5"))
    ap.add_argument("--min-recall", type=Decimal, default=Decimal("90"))
    ap.add_argument("--verbose", action="store_true",
                    help="list the answerable credits not posted")
    o = ap.parse_args()
    work = Path(o.work)
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    base = work / "books"
    run(o.gen, "--invoices", o.invoices, "--out", base)
    with open(base / "arctl.toml", "a") as f:
        # Bank charges of up to 15.00 are written off, as bankgen deducts.
        f.write('\n[reconcile]\ntolerance = "15.00"\n')

    total = {"lines": 0, "answerable": 0, "posted": 0, "right": 0}
    report = []
    rounds = [("camt053", 1), ("mt940", 2), ("bai2", 3), ("camt053", 4)]
    books = None
    for n, (fmt, seed) in enumerate(rounds):
        # The last round is a second statement for the first round's
        # books: the payers' accounts are known by then.
        if n < 3:
            books = work / f"books-{fmt}"
            shutil.copytree(base, books)
        else:
            books = work / "books-camt053"
        statement = work / f"statement-{n}.{fmt}"
        answers = work / f"answers-{n}.csv"
        run(o.bankgen, "--books", books, "--format", fmt, "--lines", o.lines,
            "--seed", seed, "--out", statement, "--answers", answers)
        run(o.arctl, "--books", books, "reconcile", "import", statement)
        s = judge(o.arctl, books, statement, answers)
        for k in total:
            total[k] += s[k]
        for w in s["wrong"]:
            print("wrong:", fmt, *w, file=sys.stderr)
        if o.verbose:
            for m in sorted(s["missed"]):
                print("not posted:", fmt, *m, file=sys.stderr)
        report.append((f"{fmt} (seed {seed}{', accounts learned' if n == 3 else ''})", s))

        # Posting: what was proposed is what lands, once.
        run(o.arctl, "--books", books, "reconcile", "match", "--post")
        run(o.arctl, "--books", books, "check")
        if n == 0:
            # What is left is cleared by hand before the next statement.
            status = run(o.arctl, "--books", books, "reconcile", "status",
                         "--format", "csv")
            for r in csv.DictReader(io.StringIO(status)):
                if r["kind"] == "unmatched":
                    run(o.arctl, "--books", books, "reconcile", "ignore",
                        r["bank"], "--reason", "cleared by hand")
        again = run(o.arctl, "--books", books, "reconcile", "match", "--format",
                    "csv")
        # Once: a credit posted is not proposed again. (Others may now
        # be, with the payers' accounts learned from those posted.)
        again_ids = {r["bank"] for r in csv.DictReader(io.StringIO(again))}
        if again_ids & s["posted_ids"]:
            sys.exit(f"evaluate: {fmt}: credits posted are proposed again: "
                     f"{sorted(again_ids & s['posted_ids'])[:5]}")
        status = run(o.arctl, "--books", books, "reconcile", "status",
                     "--format", "csv")
        unmatched = sum(r["kind"] == "unmatched"
                        for r in csv.DictReader(io.StringIO(status)))
        if n > 0 and unmatched != s["lines"] - s["posted"]:
            sys.exit(f"evaluate: {fmt}: {unmatched} credits unmatched after "
                     f"--post, not {s['lines'] - s['posted']}")

    def pct(a, b):
        return Decimal(100 * a) / Decimal(b) if b else Decimal(100)

    print(f"{'statement':40} {'credits':>7} {'answerable':>10} {'posted':>6} "
          f"{'right':>5} {'precision':>9} {'recall':>6}")
    for name, s in report + [("all", total)]:
        print(f"{name:40} {s['lines']:7} {s['answerable']:10} {s['posted']:6} "
              f"{s['right']:5} {pct(s['right'], s['posted']):8.2f}% "
              f"{pct(s['right'], s['answerable']):5.2f}%")
    precision = pct(total["right"], total["posted"])
    recall = pct(total["right"], total["answerable"])
    if precision < o.min_precision or recall < o.min_recall:
        sys.exit(f"evaluate: precision {precision:.2f}% (at least "
                 f"{o.min_precision}%) and recall {recall:.2f}% (at least "
                 f"{o.min_recall}%)")


if __name__ == "__main__":
    main()
