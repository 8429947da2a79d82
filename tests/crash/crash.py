#!/usr/bin/env python3
"""Kills writing arctl commands at random moments and checks the books.

A long, seeded mix of writing commands (invoice new, customer add and
edit, post payment, post batch, dun send, reconcile import, reconcile
match --post) runs against one books directory. Before each command the
driver runs it to the end on a copy of the books, which gives the state
after it; then it runs it on the books themselves and sends SIGKILL at a
random moment of its run. After each kill:

  * `arctl check` passes, without --wait: the dead process's lock does
    not block it (the lock is an flock, which the kernel drops with the
    process), and it rolls back a change left half done;
  * the books equal either the state before the command or the state
    after it, byte for byte, and no temporary file of arctl is left in
    them.

At the end, the commands that landed are replayed in order on a fresh
copy of the first books, and the result must equal the books.

Usage: crash.py ARCTL BANKGEN BOOKS WORKDIR [--steps N] [--seed S]
                [--time-limit SECONDS] [--min-kills N]
Prints one line per 50 steps and a summary; exits 1 on the first
violation, naming the step, the command and the files that differ.
"""

import argparse
import datetime
import os
import random
import shutil
import signal
import subprocess
import sys
import time

LEFTOVER_PREFIXES = (".arctl.tmp.", ".arctl.old.", ".arctl.journal")


def state(books):
    """Every file of the books but the lock, name -> bytes."""
    files = {}
    for name in sorted(os.listdir(books)):
        if name == ".arctl.lock":
            continue
        with open(os.path.join(books, name), "rb") as f:
            files[name] = f.read()
    return files


def differing(a, b):
    return sorted(n for n in set(a) | set(b) if a.get(n) != b.get(n))


class Driver:
    def __init__(self, args):
        self.arctl = os.path.abspath(args.arctl)
        self.bankgen = os.path.abspath(args.bankgen)
        self.work = os.path.abspath(args.workdir)
        self.rng = random.Random(args.seed)
        self.env = {
            "PATH": "/usr/bin:/bin",
            "HOME": os.path.join(self.work, "home"),
            "ARCTL_CACHE": os.path.join(self.work, "cache"),
            "TZ": "UTC",
            "LC_ALL": "C.UTF-8",
        }
        self.customers = ["PECAN", "TRAVIS", "LAKEWAY", "COLORADO", "MUELLER",
                          "SAWYER", "ZILKER", "HCTITLE", "BARTON", "RIVERBEND"]

    def run(self, argv, cwd, timeout=60):
        return subprocess.run(argv, cwd=cwd, env=self.env, timeout=timeout,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)

    def command(self, step):
        """The step's command: argv with {books} for the books, and the
        input files it needs, written into the directory it runs in."""
        rng = self.rng
        day = datetime.date(2026, 11, 1) + datetime.timedelta(days=step // 6)
        date = day.isoformat()
        customer = rng.choice(self.customers)
        kind = rng.choices(
            ["invoice", "payment", "batch", "dun", "import", "match",
             "customer-add", "customer-edit"],
            weights=[5, 5, 3, 2, 2, 2, 1, 1])[0]
        base = [self.arctl, "--books", "{books}"]
        if kind == "invoice":
            lines = []
            for i in range(rng.randint(1, 3)):
                lines += ["--line", f"Service {step}.{i}", str(rng.randint(1, 9)),
                          f"{rng.randint(5, 400)}.{rng.randint(0, 99):02d}"]
            return kind, base + ["invoice", "new", "--customer", customer,
                                 "--date", date] + lines, {}
        if kind == "payment":
            return kind, base + [
                "post", "payment", "--customer", customer, "--amount",
                f"{rng.randint(10, 900)}.{rng.randint(0, 99):02d}",
                "--date", date, "--method", "check", "--ref",
                f"chk {1000 + step}", "--auto"], {}
        if kind == "batch":
            rows = ["date,customer,amount,reference,bank_tx,id,method,invoices,amounts"]
            for i in range(rng.randint(2, 5)):
                rows.append(f"{date},{rng.choice(self.customers)},"
                            f"{rng.randint(10, 500)}.00,lockbox {step}-{i},"
                            f"LBX-{step}-{i},,check,,")
            return kind, base + ["post", "batch", "lockbox.csv", "--auto"], {
                "lockbox.csv": "\n".join(rows) + "\n"}
        if kind == "dun":
            return kind, base + ["dun", "send", "--as-of", date, "--out",
                                 f"letters-{step}"], {}
        if kind == "import":
            return kind, base + ["reconcile", "import", "statement.sta",
                                 "--date", date], {"statement.sta": None}
        if kind == "match":
            return kind, base + ["reconcile", "match", "--as-of", date,
                                 "--post", "--date", date], {}
        if kind == "customer-add":
            cid = f"NEW{step}"
            return kind, base + ["customer", "add", cid, "--name",
                                 f"New Customer {step}", "--email",
                                 f"ap{step}@new.example"], {}
        return kind, base + ["customer", "edit", customer, "--email",
                             f"ar{step}@{customer.lower()}.example"], {}

    def prepare(self, step, files, books, where):
        """Writes the command's input files into `where`; a bank statement
        is generated from the books as they are, its ids made unique."""
        for name, text in files.items():
            path = os.path.join(where, name)
            if text is None:
                self.run([self.bankgen, "--books", books, "--format", "mt940",
                          "--lines", "4", "--seed", str(step), "--out", path,
                          "--answers", os.path.join(where, "answers.csv")],
                         where).check_returncode()
                with open(path) as f:
                    text = f.read().replace("//BTX", f"//S{step}X")
                text = text.replace(":20:ARCTL1", f":20:ARCTL{step}")
            with open(path, "w") as f:
                f.write(text)

    def main(self, steps, time_limit):
        shutil.rmtree(self.work, ignore_errors=True)
        os.makedirs(self.env["HOME"])
        books = os.path.join(self.work, "books")
        first = os.path.join(self.work, "first")
        shutil.copytree(self.args_books, books)
        shutil.copytree(self.args_books, first)
        landed = []
        counts = {"kills": 0, "journal": 0, "before": 0, "after": 0,
                  "unchanged": 0}
        started = time.monotonic()
        for step in range(steps):
            if time.monotonic() - started > time_limit:
                break
            kind, argv, files = self.command(step)
            before = state(books)
            # The state after the command, from a run to its end on a copy.
            replay = os.path.join(self.work, "replay")
            shutil.rmtree(replay, ignore_errors=True)
            os.makedirs(replay)
            shutil.copytree(books, os.path.join(replay, "books"))
            self.prepare(step, files, os.path.join(replay, "books"), replay)
            full = [a.replace("{books}", "books") for a in argv]
            t0 = time.monotonic()
            done = self.run(full, replay)
            took = time.monotonic() - t0
            after = state(os.path.join(replay, "books"))
            # The same command on the books, killed at a random moment:
            # anywhere in its run, or near its end, where it writes.
            here = os.path.join(self.work, "run")
            shutil.rmtree(here, ignore_errors=True)
            os.makedirs(here)
            os.symlink(books, os.path.join(here, "books"))
            for name in files:
                shutil.copy(os.path.join(replay, name), here)
            where = self.rng.random()
            delay = (self.rng.uniform(0, took) if where < 0.4 else
                     self.rng.uniform(0.6 * took, took) if where < 0.7 else
                     self.rng.uniform(0.85 * took, 1.05 * took))
            proc = subprocess.Popen(full, cwd=here, env=self.env,
                                    stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL)
            time.sleep(delay)
            if proc.poll() is None:
                proc.send_signal(signal.SIGKILL)
                counts["kills"] += 1
            proc.wait()
            if os.path.exists(os.path.join(books, ".arctl.journal")):
                counts["journal"] += 1
            # The next command must not find the books locked, and finds
            # them whole.
            check = self.run([self.arctl, "--books", books, "check"], here)
            problem = None
            if check.returncode != 0:
                problem = (f"arctl check exited {check.returncode}:\n"
                           + check.stdout.decode() + check.stderr.decode())
            leftovers = [n for n in os.listdir(books)
                         if n.startswith(LEFTOVER_PREFIXES)]
            if leftovers:
                problem = f"files left behind: {leftovers}"
            now = state(books)
            if after == before and now == before:
                counts["unchanged"] += 1
            elif now == after:
                counts["after"] += 1
                landed.append((step, kind, argv, files))
            elif now == before:
                counts["before"] += 1
            else:
                problem = problem or (
                    "the books are neither as before nor as after the "
                    "command; files differing from after: "
                    f"{differing(now, after)}, from before: "
                    f"{differing(now, before)}")
            if proc.returncode == 0 and now != after:
                problem = problem or "the command finished but its change is missing"
            if problem:
                print(f"step {step} ({kind}): {' '.join(full)}\n{problem}")
                return 1
            if (step + 1) % 50 == 0:
                print(f"step {step + 1}: {counts}", flush=True)
        last = step + 1
        # Replay what landed, in order, on the first books.
        replayed = os.path.join(self.work, "replayed")
        shutil.rmtree(replayed, ignore_errors=True)
        os.makedirs(replayed)
        shutil.copytree(first, os.path.join(replayed, "books"))
        for step, kind, argv, files in landed:
            self.prepare(step, files, os.path.join(replayed, "books"), replayed)
            r = self.run([a.replace("{books}", "books") for a in argv], replayed)
            if r.returncode not in (0, 1):
                print(f"replay of step {step} ({kind}) exited {r.returncode}: "
                      + r.stderr.decode())
                return 1
        if state(os.path.join(replayed, "books")) != state(books):
            print("a serial replay of the commands that landed differs from "
                  f"the books: {differing(state(os.path.join(replayed, 'books')), state(books))}")
            return 1
        seconds = time.monotonic() - started
        if counts["kills"] < self.min_kills:
            print(f"only {counts['kills']} commands were killed while running, "
                  f"fewer than {self.min_kills}")
            return 1
        print(f"crash test: {last} commands, {counts['kills']} killed while "
              f"running, {counts['journal']} of them midway through writing "
              f"(journal rolled back); books as before the command "
              f"{counts['before']}, as after it {counts['after']}, "
              f"{counts['unchanged']} commands that change nothing; a replay "
              f"of the {len(landed)} that landed equals the books; "
              f"{seconds:.0f} s")
        return 0


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("arctl")
    p.add_argument("bankgen")
    p.add_argument("books")
    p.add_argument("workdir")
    p.add_argument("--steps", type=int, default=400)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--time-limit", type=float, default=150)
    p.add_argument("--min-kills", type=int, default=200)
    args = p.parse_args()
    d = Driver(args)
    d.min_kills = args.min_kills
    d.args_books = os.path.abspath(args.books)
    return d.main(args.steps, args.time_limit)


if __name__ == "__main__":
    sys.exit(main())
