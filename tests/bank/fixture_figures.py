#!/usr/bin/env python3
"""The figures tests/unit/bank_fixtures_test.cpp asserts for every file in
../shared/fixtures/bank: how many transactions each holds and the sum of its
credits by currency, worked out here from the files with Python's standard
library, independently of arctl's parsers, by the rules arctl-reconcile(1)
documents. Also says which files' balances or control totals do not add up.

Usage: tests/bank/fixture_figures.py [FIXTURES_DIR]
Prints one line per file: path, count, credits ("EUR 1405.31; USD 0.01").
"""
import csv
import io
import re
import sys
import xml.etree.ElementTree as ET
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

ROOT = Path(sys.argv[1] if len(sys.argv) > 1 else
            Path(__file__).resolve().parents[3] / 'shared/fixtures/bank')
DECIMALS = {'JPY': 0, 'HUF': 2}


def money(credits):
    return '; '.join(f'{c} {credits[c]:.{DECIMALS.get(c, 2)}f}'
                     for c in sorted(credits)) or '-'


def mt940(path):
    text = path.read_bytes().decode('latin-1').replace('\r', '')
    count, credits, cur = 0, defaultdict(Decimal), None
    opening, moved, mismatched = None, Decimal(0), 0
    for tag, value in re.findall(r'^:(60[FM]|61|62[FM]):(.*)$', text, re.M):
        if tag.startswith('6') and tag[1] in '02':
            m = re.match(r'([CD])\d{6}([A-Z]{3})([\d,]+)', value)
            amount = Decimal(m.group(3).replace(',', '.'))
            amount = amount if m.group(1) == 'C' else -amount
            if tag.startswith('60'):
                cur, opening, moved = m.group(2), amount, Decimal(0)
            elif opening is not None and opening + moved != amount:
                mismatched += 1
            continue
        # :61: value date, entry date?, mark, funds code?, amount
        m = re.match(r'\d{6}(\d{4})?(R?[CD])([A-Z])?([\d,]+)', value)
        amount = Decimal(m.group(4).replace(',', '.'))
        credit = m.group(2) in ('C', 'RD')
        count += 1
        moved += amount if credit else -amount
        if credit:
            credits[cur] += amount
    return count, credits, mismatched


def local(tag):
    return tag.split('}')[-1]


def find(node, path):
    for part in path.split('/'):
        if node is None:
            return None
        node = next((c for c in node if local(c.tag) == part), None)
    return node


def camt(path):
    root = ET.parse(path).getroot()
    count, credits = 0, defaultdict(Decimal)
    for entry in root.iter():
        if local(entry.tag) != 'Ntry':
            continue
        status = find(entry, 'Sts')
        status = (find(status, 'Cd') if find(status, 'Cd') is not None
                  else status)
        if status is not None and status.text.strip() != 'BOOK':
            continue
        direction = find(entry, 'CdtDbtInd').text
        details = [t for d in entry if local(d.tag) == 'NtryDtls'
                   for t in d if local(t.tag) == 'TxDtls']

        def own(t):
            for p in ('Amt', 'AmtDtls/TxAmt/Amt', 'AmtDtls/InstdAmt/Amt'):
                if find(t, p) is not None:
                    return find(t, p)
        if len(details) >= 2 and all(own(t) is not None for t in details):
            for t in details:
                mark = find(t, 'CdtDbtInd')
                count += 1
                if (mark.text if mark is not None else direction) == 'CRDT':
                    credits[own(t).get('Ccy')] += Decimal(own(t).text)
        else:
            amount = find(entry, 'Amt')
            count += 1
            if direction == 'CRDT':
                credits[amount.get('Ccy')] += Decimal(amount.text)
    return count, credits, 0


def ofx(path):
    text = path.read_text('latin-1')
    count, credits = 0, defaultdict(Decimal)
    for statement in re.split(r'<(?:CC)?STMTRS>', text)[1:]:
        curdef = re.search(r'<CURDEF>([A-Z]*)', statement).group(1)
        for trn in re.findall(r'<STMTTRN>(.*?)</STMTTRN>', statement, re.S):
            count += 1
            amount = Decimal(re.search(r'<TRNAMT>\s*([-+\d.]+)', trn).group(1))
            sym = re.search(r'<CURSYM>([A-Z]{3})', trn)
            if amount > 0:
                credits[sym.group(1) if sym else curdef] += amount
    return count, credits, 0


def bai2(path):
    lines = [l.rstrip() for l in path.read_text().splitlines() if l.strip()]
    count, credits = 0, defaultdict(Decimal)
    group_cur = cur = None
    for line in lines:
        fields = line.split(',')
        if fields[0] == '02':
            group_cur = fields[6].rstrip('/') or 'USD'
        elif fields[0] == '03':
            cur = fields[2] or group_cur
        elif fields[0] == '16':
            count += 1
            code = int(fields[1])
            if 100 <= code <= 399 or 920 <= code <= 959:
                credits[cur] += Decimal(fields[2]) / 100
    # Account control totals: the amounts of each account's 03 record (with
    # the 88 records continuing it) and of its 16 records.
    mismatched, summary, amounts, last = 0, None, 0, None
    for line in lines + ['00']:
        code, rest = line[:2], line[3:]
        if last == '03' and code != '88':
            fields = summary.rstrip('/').split(',')[2:]
            i = 0
            while i < len(fields):
                if fields[i] == '':
                    i += 1
                    continue
                amounts += int(fields[i + 1] or 0)
                funds = fields[i + 3] if i + 3 < len(fields) else ''
                i += 4 + {'S': 3, 'V': 2}.get(funds, 0)
                if funds == 'D':
                    i += 1 + 2 * int(fields[i - 0])
            last = None
        if code == '03':
            summary, amounts, last = rest, 0, '03'
        elif code == '88' and last == '03':
            summary = summary.rstrip('/') + ',' + rest
        elif code == '16':
            amounts += int(rest.split(',')[1])
        elif code == '49' and int(rest.split(',')[0]) != amounts:
            mismatched += 1
    return count, credits, mismatched


# CSV exports, read as the profiles of the test read them.
def amount_of(text, decimal, thousands):
    text = text.replace(thousands, '') if thousands else text
    text = text.replace(decimal, '.').strip()
    if text.endswith('-'):
        text = '-' + text[:-1]
    return Decimal(text) if text else Decimal(0)


CSV = {
    'oca-sample-statement.csv': dict(amount='Amount', currency='Currency',
                                     thousands=','),
    'oca-multi-currency.csv': dict(amount='Amount', currency='Currency',
                                   thousands=','),
    'oca-debit-credit.csv': dict(amount='Amount', indicator='D/C',
                                 currency='USD', thousands=','),
    'outbank-de-sepa-refs.csv': dict(delimiter=';', amount='Amount',
                                     currency='Currency', decimal=','),
    'gls-de-latin1-vwz.csv': dict(delimiter=';', encoding='latin-1',
                                  amount='Betrag', currency='Währung',
                                  decimal=',', thousands='.'),
    'ubs-ch-fr-apostrophe-thousands.csv': dict(delimiter=';', debit='Débit',
                                               credit='Crédit',
                                               currency='Monn.',
                                               thousands="'"),
    'paypal-activity-invoice-numbers.csv': dict(amount='Gross',
                                                currency='Currency',
                                                thousands=','),
    'paypal-statement-es-comma-decimal.csv': dict(amount='Bruto',
                                                  currency='Divisa',
                                                  decimal=',', thousands='.'),
}


def bank_csv(path):
    p = CSV[path.name]
    text = path.read_bytes().decode(p.get('encoding', 'utf-8-sig'))
    rows = list(csv.DictReader(io.StringIO(text),
                               delimiter=p.get('delimiter', ',')))
    count, credits = 0, defaultdict(Decimal)
    dec, th = p.get('decimal', '.'), p.get('thousands', '')
    for row in rows:
        if not any((v or '').strip() for v in row.values()):
            continue
        count += 1
        cur = row.get(p['currency'], p['currency'])
        if 'debit' in p:
            amount = (abs(amount_of(row[p['credit']], dec, th)) -
                      abs(amount_of(row[p['debit']], dec, th)))
        else:
            amount = amount_of(row[p['amount']], dec, th)
            if 'indicator' in p:
                amount = abs(amount) * (1 if row[p['indicator']] == 'C' else -1)
        if amount > 0:
            credits[cur] += amount
    return count, credits, 0


READERS = {'mt940': mt940, 'camt053': camt, 'camt054': camt, 'ofx': ofx,
           'bai2': bai2, 'csv': bank_csv}

for path in sorted(ROOT.glob('*/*')):
    count, credits, mismatched = READERS[path.parent.name](path)
    note = f'  # {mismatched} balance/total mismatches' if mismatched else ''
    print(f'{path.parent.name}/{path.name} {count} {money(credits)}{note}')
