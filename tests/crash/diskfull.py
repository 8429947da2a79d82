#!/usr/bin/env python3
"""Writing commands on a full disk and on read-only books.

The books are copied onto a small tmpfs, which is then filled up but for
0 to 12 pages. Each writing command runs at every level of free space:
it either succeeds, and its change is whole (`arctl check` passes), or it
fails with exit status 73 and a message naming the file it could not
write, and the books are byte-identical to before with no temporary file
left. Outputs outside the books (dun send --out, export --out) are held
to the same rule. Then the books are bind-mounted read-only: every writer
fails with exit status 73 and readers still work.

Needs root to mount; where mounting is not permitted (a container without
CAP_SYS_ADMIN) the disk-full part uses a file size limit instead
(RLIMIT_FSIZE, the same failure to the program, EFBIG instead of ENOSPC)
and the read-only part is skipped, which the summary says.

Usage: diskfull.py ARCTL BOOKS WORKDIR
"""

import os
import resource
import shutil
import signal
import subprocess
import sys

PAGE = 4096


def state(books):
    files = {}
    for name in sorted(os.listdir(books)):
        if name != ".arctl.lock":
            with open(os.path.join(books, name), "rb") as f:
                files[name] = f.read()
    return files


def commands(step):
    date = "2026-11-23"
    return [
        ("invoice new", ["invoice", "new", "--customer", "PECAN", "--date", date,
                         "--line", f"Research {step} " + "x" * 300, "3", "150.00"]),
        ("post payment", ["post", "payment", "--customer", "TRAVIS", "--amount",
                          "250.00", "--date", date, "--ref", f"chk {step}",
                          "--auto"]),
        ("post batch", ["post", "batch", "batch.csv", "--auto"]),
        ("customer add", ["customer", "add", f"NEW{step}", "--name",
                          f"New {step}", "--email", f"n{step}@x.example"]),
        ("customer edit", ["customer", "edit", "LAKEWAY", "--email",
                           f"ar{step}@lakeway.example"]),
        ("reconcile import", ["reconcile", "import", "bank.sta", "--date", date]),
        ("dun send", ["dun", "send", "--as-of", date, "--out", "OUT"]),
        ("export", ["export", "ledger", "--out", "OUT/books.ledger"]),
        ("invoice render", ["invoice", "render", "INV-2026-0041", "--as-of",
                            date, "--format", "html", "--out", "OUT/inv.html"]),
    ]


def mount(*args):
    return subprocess.run(["mount", *args], stderr=subprocess.DEVNULL).returncode == 0


def main():
    arctl = os.path.abspath(sys.argv[1])
    source = os.path.abspath(sys.argv[2])
    work = os.path.abspath(sys.argv[3])
    subprocess.run(["umount", "-q", os.path.join(work, "disk")],
                   stderr=subprocess.DEVNULL)
    subprocess.run(["umount", "-q", os.path.join(work, "ro")],
                   stderr=subprocess.DEVNULL)
    shutil.rmtree(work, ignore_errors=True)
    disk = os.path.join(work, "disk")
    os.makedirs(disk)
    env = {"PATH": "/usr/bin:/bin", "HOME": work, "ARCTL_CACHE": "off",
           "TZ": "UTC", "LC_ALL": "C.UTF-8"}
    mounted = os.geteuid() == 0 and mount("-t", "tmpfs", "-o", "size=1m",
                                          "tmpfs", disk)
    try:
        return run(arctl, source, work, disk, env, mounted)
    finally:
        if mounted:
            subprocess.run(["umount", disk])


def run(arctl, source, work, disk, env, mounted):
    inputs = os.path.join(work, "inputs")
    os.makedirs(inputs)
    with open(os.path.join(inputs, "batch.csv"), "w") as f:
        f.write("date,customer,amount,reference,bank_tx,id,method,invoices,amounts\n")
        for i in range(20):
            f.write(f"2026-11-23,ZILKER,{10 + i}.00,lockbox {i},LBX-{i},,check,,\n")
    with open(os.path.join(inputs, "bank.sta"), "w") as f:
        f.write(":20:DISKFULL\n:25:US12BANK000012345678\n:28C:1/1\n"
                ":60F:C261120USD0,00\n")
        for i in range(20):
            f.write(f":61:2611201120C{100 + i},00NTRFNONREF//DF{i:06d}\n"
                    f":86:/ORDP//NAME/PAYER {i}/REMI/Invoice INV-2026-00{40 + i}\n")
        f.write(f":62F:C261120USD{sum(100 + i for i in range(20))},00\n-\n")

    books = os.path.join(disk, "books")
    failures = successes = 0
    levels = range(0, 13)
    for free in levels:
        for name, args in commands(free):
            shutil.rmtree(books, ignore_errors=True)
            for leftover in os.listdir(disk):
                path = os.path.join(disk, leftover)
                shutil.rmtree(path) if os.path.isdir(path) else os.unlink(path)
            shutil.copytree(source, books)
            out = os.path.join(disk, "out")
            os.makedirs(out)
            limit = None
            if mounted:
                # Fill the disk, then free `free` pages.
                filler = os.path.join(disk, "filler")
                fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o644)
                try:
                    while os.write(fd, b"\0" * PAGE) == PAGE:
                        pass
                except OSError:
                    pass
                os.close(fd)
                os.truncate(filler, max(0, os.path.getsize(filler) - free * PAGE))
            else:
                limit = sum(len(v) for v in state(books).values()) // 40 + free * 300
            before = state(books)
            argv = [arctl, "--books", books] + [
                a.replace("OUT", out) for a in args]

            def limited():
                signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
                resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
            r = subprocess.run(argv, cwd=inputs, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               preexec_fn=limited if limit else None)
            err = r.stderr.decode()
            leftovers = [n for n in os.listdir(books)
                         if n.startswith(".arctl.") and n != ".arctl.lock"]
            leftovers += [n for n in os.listdir(out) if ".arctl.tmp" in n]
            label = f"{name} with {free} pages free"
            if leftovers:
                print(f"{label}: files left behind: {leftovers}")
                return 1
            if r.returncode == 0:
                successes += 1
                check = subprocess.run([arctl, "--books", books, "check"],
                                       env=env, stdout=subprocess.PIPE,
                                       stderr=subprocess.STDOUT)
                if check.returncode != 0:
                    print(f"{label}: succeeded but check fails:\n"
                          + check.stdout.decode())
                    return 1
                continue
            failures += 1
            if r.returncode != 73 or "cannot write" not in err and \
                    "cannot create" not in err:
                print(f"{label}: exit {r.returncode}, expected 0 or 73:\n{err}")
                return 1
            if state(books) != before:
                print(f"{label}: failed, and the books changed:\n{err}")
                return 1
            for f in os.listdir(out):
                if not os.path.isdir(os.path.join(out, f)) and \
                        os.path.getsize(os.path.join(out, f)) == 0:
                    print(f"{label}: an empty output file {f} was left")
                    return 1
    how = "a full tmpfs" if mounted else "a file size limit (no mount permitted)"
    print(f"disk full, on {how}: {len(commands(0))} writing commands at "
          f"{len(levels)} levels of free space: {failures} failed with exit 73 "
          "leaving the books as they were and nothing behind, "
          f"{successes} succeeded whole")

    if not mounted:
        print("read-only books: skipped (mounting is not permitted here)")
        return 0
    shutil.rmtree(books)
    os.unlink(os.path.join(disk, "filler"))
    shutil.copytree(source, books)
    ro = os.path.join(work, "ro")
    os.makedirs(ro)
    if not (mount("--bind", books, ro) and mount("-o", "remount,bind,ro", ro)):
        print("read-only bind mount failed")
        return 1
    try:
        before = state(ro)
        writers = 0
        for name, args in commands(99):
            if name in ("dun send", "export", "invoice render"):
                continue
            r = subprocess.run([arctl, "--books", ro] + args, cwd=inputs,
                               env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)
            err = r.stderr.decode()
            if r.returncode != 73 or "Read-only file system" not in err:
                print(f"{name} on read-only books: exit {r.returncode}:\n{err}")
                return 1
            writers += 1
        for args in (["check"], ["age", "--as-of", "2026-11-23"],
                     ["customer", "list"]):
            r = subprocess.run([arctl, "--books", ro] + args, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            if r.returncode != 0:
                print(f"{' '.join(args)} on read-only books: exit "
                      f"{r.returncode}:\n{r.stderr.decode()}")
                return 1
        if state(ro) != before:
            print("read-only books changed")
            return 1
    finally:
        subprocess.run(["umount", ro])
    print(f"read-only books (bind mount): {writers} writing commands failed "
          "with exit 73, 3 reports read them")
    return 0


if __name__ == "__main__":
    sys.exit(main())
