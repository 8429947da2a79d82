# shellcheck shell=sh
# Each customer's balance as arctl, ledger, hledger and beancount report it,
# in one shape so that they can be compared: sourced (POSIX sh) by
# tests/export/tools.sh and bench/compare.
#
#   balance_command TOOL FILE DATE
#     prints the command line (for sh -c) that asks TOOL for each
#     customer's receivable and customer-credit balances at the end of
#     DATE. TOOL is ledger, hledger or beancount, and FILE the journal
#     `arctl export TOOL` wrote; or arctl, the executable in $arctl, and
#     FILE the books (`arctl age --format csv`, the total column).
#   balances TOOL [MAP] <OUTPUT
#     turns what that command printed into lines "CURRENCY CUSTOMER
#     AMOUNT", the customer as its account component (arctl's ids mapped
#     by the sed script MAP, if any, where they are not one as they are),
#     the amount in thousandths as an integer (exact), zero balances left
#     out, sorted: equal text is equal balances.
#
# The tools' balance is what the receivable account holds plus what the
# customer-credit account holds (a credit, so negative), by currency.

# A word for sh -c: as it is when the shell gives none of its characters a
# meaning, else in single quotes.
shell_quote() {
  case $1 in
  '' | *[!A-Za-z0-9_./:,=+-]*)
    printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")" ;;
  *) printf '%s' "$1" ;;
  esac
}

balance_command() { # TOOL FILE DATE
  case $1 in
  arctl)
    # shellcheck disable=SC2154 # $arctl is the caller's
    printf '%s --books %s age --as-of %s --format csv' \
      "$(shell_quote "$arctl")" "$(shell_quote "$2")" "$3" ;;
  ledger)
    # -e is exclusive: the day after DATE.
    printf '%s %s' "ledger -f $(shell_quote "$2") bal" \
      "-e $(date -d "$3 1 day" +%Y-%m-%d) --flat --no-total \
--balance-format '%(account) %(scrub(display_total))\\n' \
'^Assets:Receivable:' '^Liabilities:CustomerCredit:'" ;;
  hledger)
    printf '%s %s' "hledger -f $(shell_quote "$2") bal" \
      "-e $(date -d "$3 1 day" +%Y-%m-%d) --flat -N -O csv \
'^Assets:Receivable:' '^Liabilities:CustomerCredit:'" ;;
  beancount)
    printf '%s "%s"' "bean-query -f csv $(shell_quote "$2")" \
      "SELECT account, currency, sum(number) AS n WHERE date <= $3 \
AND (account ~ '^Assets:Receivable:' OR account ~ '^Liabilities:CustomerCredit:') \
GROUP BY account, currency" ;;
  *)
    echo "balance_command: unknown tool $1" >&2
    return 64 ;;
  esac
}

balances() { # TOOL [MAP]
  case $1 in
  arctl)
    # A quoted name's lines joined into one record; counted from the end,
    # the columns do not move with a name's commas. The books must have a
    # currency column (several currencies); customer rows only.
    awk '{ record = record == "" ? $0 : record " " $0
           if (gsub(/"/, "\"", record) % 2) next
           print record; record = "" }' |
      awk -F, 'NR == 1 { if ($1 != "currency") exit 1; next }
        $2 != "" { printf "Assets:Receivable:%s %s %s\n", $2, $(NF - 1), $1 }' |
      sed -f "${2:-/dev/null}" ;;
  ledger)
    cat ;;
  hledger)
    tr -d '"\r' | awk -F, 'NR > 1 { print $1, $2 }' ;;
  beancount)
    tr -d ' \r' | awk -F, 'NR > 1 { print $1, $3, $2 }' ;;
  *)
    echo "balances: unknown tool $1" >&2
    return 64 ;;
  esac | by_customer
}

# Lines "ACCOUNT AMOUNT CURRENCY" of receivable and customer-credit
# accounts -> "CURRENCY CUSTOMER AMOUNT" per customer, amounts in
# thousandths as integers, zero balances left out, sorted.
by_customer() {
  awk '
    function milli(s,   neg, parts, v) {
      neg = s ~ /^-/; sub(/^-/, "", s)
      split(s, parts, ".")
      v = parts[1] * 1000 + substr(parts[2] "000", 1, 3)
      return neg ? -v : v
    }
    $1 ~ /^(Assets:Receivable|Liabilities:CustomerCredit):/ {
      customer = $1; sub(/^[^:]*:[^:]*:/, "", customer)
      sum[$3 " " customer] += milli($2)
    }
    END { for (k in sum) if (sum[k] != 0) printf "%s %.0f\n", k, sum[k] }
  ' | LC_ALL=C sort
}
