#!/usr/bin/env python3
"""Eight writers at once on the same books.

Eight processes each post a run of payments (`arctl post payment --auto`,
each with its own reference) to one books directory at the same time,
twice over: first without waiting, when a writer that finds the books
locked must fail with exit status 75 and write nothing, then with
`--wait 60`, when every one must land. Afterwards:

  * `arctl check` passes;
  * payments.csv holds exactly the payments whose command exited 0, each
    once, and none of those refused;
  * replaying the accepted commands one after another, in the order their
    payments stand in payments.csv, on a copy of the first books gives
    the same books, byte for byte.

Usage: concurrent.py ARCTL BOOKS WORKDIR [--writers N] [--each N]
"""

import argparse
import csv
import os
import shutil
import subprocess
import sys
import time

CUSTOMERS = ["PECAN", "TRAVIS", "LAKEWAY", "COLORADO", "MUELLER", "SAWYER",
             "ZILKER", "HCTITLE"]


def state(books):
    files = {}
    for name in sorted(os.listdir(books)):
        if name != ".arctl.lock":
            with open(os.path.join(books, name), "rb") as f:
                files[name] = f.read()
    return files


def command(arctl, books, writer, k, wait):
    ref = f"w{writer}-{k}-{'wait' if wait else 'now'}"
    argv = [arctl, "--books", books]
    if wait:
        argv += ["--wait", "60"]
    argv += ["post", "payment", "--customer", CUSTOMERS[writer % len(CUSTOMERS)],
             "--amount", f"{10 + writer}.{k:02d}", "--date", "2026-11-23",
             "--method", "check", "--ref", ref, "--auto"]
    return ref, argv


def main():
    p = argparse.ArgumentParser()
    p.add_argument("arctl")
    p.add_argument("books")
    p.add_argument("workdir")
    p.add_argument("--writers", type=int, default=8)
    p.add_argument("--each", type=int, default=25)
    args = p.parse_args()
    arctl = os.path.abspath(args.arctl)
    work = os.path.abspath(args.workdir)
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    books = os.path.join(work, "books")
    first = os.path.join(work, "first")
    shutil.copytree(args.books, books)
    shutil.copytree(args.books, first)
    env = {"PATH": "/usr/bin:/bin", "HOME": work, "ARCTL_CACHE": "off",
           "TZ": "UTC", "LC_ALL": "C.UTF-8"}

    accepted, refused = {}, set()
    started = time.monotonic()
    for wait in (False, True):
        # Each writer is a shell loop, so that all eight start at once and
        # keep colliding; it prints each command's exit status.
        procs = []
        for w in range(args.writers):
            script = ""
            for k in range(args.each):
                ref, argv = command(arctl, books, w, k, wait)
                script += (" ".join("'" + a + "'" for a in argv)
                           + f" >/dev/null 2>err-{ref}; echo {ref} $?\n")
            procs.append(subprocess.Popen(["sh", "-c", script], cwd=work,
                                          env=env, stdout=subprocess.PIPE))
        for w, proc in enumerate(procs):
            out, _ = proc.communicate()
            for line in out.decode().split("\n"):
                if not line:
                    continue
                ref, status = line.split()
                k = int(ref.split("-")[1])
                if status == "0":
                    accepted[ref] = command(arctl, "books", w, k, wait)[1]
                elif status == "75" and not wait:
                    with open(os.path.join(work, f"err-{ref}")) as f:
                        message = f.read()
                    if "the books are locked by another arctl command" not in message:
                        print(f"{ref}: exit 75 without the message: {message}")
                        return 1
                    refused.add(ref)
                else:
                    with open(os.path.join(work, f"err-{ref}")) as f:
                        print(f"{ref}: exit {status}: {f.read()}")
                    return 1
    seconds = time.monotonic() - started

    check = subprocess.run([arctl, "--books", books, "check"], env=env,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    if check.returncode != 0:
        print("arctl check failed:\n" + check.stdout.decode())
        return 1
    with open(os.path.join(books, "payments.csv"), newline="") as f:
        rows = list(csv.DictReader(f))
    first_count = len(list(csv.DictReader(open(os.path.join(first, "payments.csv")))))
    order = [r["reference"] for r in rows[first_count:]]
    if sorted(order) != sorted(accepted) or len(set(order)) != len(order):
        print(f"payments.csv holds {len(order)} new payments, "
              f"{len(accepted)} commands were accepted; "
              f"missing {sorted(set(accepted) - set(order))}, "
              f"unexpected {sorted(set(order) - set(accepted))}")
        return 1

    replay = os.path.join(work, "replay")
    os.makedirs(replay)
    shutil.copytree(first, os.path.join(replay, "books"))
    for ref in order:
        r = subprocess.run(accepted[ref], cwd=replay, env=env,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        if r.returncode != 0:
            print(f"replay of {ref} exited {r.returncode}: {r.stderr.decode()}")
            return 1
    a, b = state(books), state(os.path.join(replay, "books"))
    if a != b:
        print("the serial replay differs in "
              f"{sorted(n for n in set(a) | set(b) if a.get(n) != b.get(n))}")
        return 1
    waited = sum(1 for r in accepted if r.endswith("-wait"))
    print(f"concurrent writers: {args.writers} processes, "
          f"{2 * args.writers * args.each} commands; without waiting "
          f"{len(accepted) - waited} landed and {len(refused)} were refused "
          f"as locked (exit 75); with --wait all {waited} landed; the books "
          f"equal a serial replay of the {len(accepted)} accepted; "
          f"{seconds:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
