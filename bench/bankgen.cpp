// arctl-bankgen: a bank statement of payments for the open invoices of
// some books, as a bank would send it (camt.053, MT940 or BAI2), with the
// noise of real remittances, and the answer for each line, so that
// matching can be judged: how many of its posted matches are right
// (precision) and how many of the lines it posts (recall).
//
// Each credit is one of: an invoice paid in full with its number; the
// number mistyped, or missing (the payer's name only); several invoices
// of one customer in one payment; an early-payment discount taken; bank
// charges deducted; a partial payment; an overpayment; a payer the books
// do not know; one payment for invoices of two customers. The answer file
// (CSV) says for each bank transaction id: kind, customer, and the
// invoices it pays with amounts ("INV=12.34;INV=5.00"), "" where no
// posting is right (unknown payer, several customers).
#include "arctl/check.hpp"
#include "arctl/ledger.hpp"
#include "arctl/posting.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <random>
#include <string>
#include <vector>

using namespace arctl;

namespace {

struct Options {
  std::string books;
  std::string format = "camt053";
  std::size_t lines = 1000;
  std::uint64_t seed = 1;
  std::string out, answers;
  std::string account = "US12BANK000012345678";
};

struct Line {
  std::string id;
  Date date;
  std::int64_t amount = 0; // minor units, > 0
  Currency currency;
  std::string name, account, remittance;
  std::string kind, customer, pays; // the answer
};

class Rng {
public:
  explicit Rng(std::uint64_t seed) : m_gen(seed) {}
  // 0 <= n < bound, the same on every platform.
  std::uint64_t below(std::uint64_t bound) { return m_gen() % bound; }
  bool chance(unsigned percent) { return below(100) < percent; }

private:
  std::mt19937_64 m_gen;
};

std::string plain(std::int64_t minor, Currency c, char point = '.') {
  auto text = format_minor_units(minor, c.exponent);
  std::replace(text.begin(), text.end(), '.', point);
  return text;
}

// The payer's name as banks print it: upper case, at most 35 characters,
// sometimes without the legal form or with a letter dropped.
std::string bank_name(std::string_view name, Rng& rng) {
  std::string out;
  for (const char c : name)
    out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (rng.chance(30))
    if (const auto space = out.rfind(' '); space != std::string::npos)
      out.erase(space);
  if (rng.chance(15) && out.size() > 6)
    out.erase(3 + rng.below(out.size() - 4), 1);
  if (out.size() > 35)
    out.resize(35);
  while (!out.empty() && out.back() == ' ')
    out.pop_back();
  return out;
}

// An invoice number as payers write it: as it is, without its prefix,
// with spaces, with a typo.
std::string written(std::string_view id, Rng& rng, bool typo) {
  std::string out(id);
  switch (rng.below(4)) {
  case 1:
    if (const auto dash = out.find('-'); dash != std::string::npos)
      out.erase(0, dash + 1);
    break;
  case 2:
    std::replace(out.begin(), out.end(), '-', ' ');
    break;
  default:
    break;
  }
  if (typo && out.size() > 3) {
    // Two neighbouring digits swapped: no longer the same number.
    for (std::size_t k = out.size() - 1; k > 0; --k)
      if (std::isdigit(static_cast<unsigned char>(out[k])) &&
          std::isdigit(static_cast<unsigned char>(out[k - 1])) &&
          out[k] != out[k - 1]) {
        std::swap(out[k], out[k - 1]);
        break;
      }
  }
  return out;
}

std::string account_of(std::string_view customer) {
  std::uint64_t h = 1469598103934665603ull;
  for (const char c : customer)
    h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
  return fmt::format("US{:02}BANK{:012}", h % 97, h % 1000000000000ull);
}

std::vector<Line> make_lines(const Books& books, const Ledger& ledger,
                             const Options& o) {
  Rng rng(o.seed);
  // Open invoices, each used once, and by customer.
  std::vector<std::uint32_t> open;
  std::vector<std::vector<std::uint32_t>> by_customer(books.customers.size());
  for (std::uint32_t i = 0; i < books.invoices.size(); ++i) {
    const auto& s = ledger.invoices[i];
    if (s.issued && !s.void_ && !s.disputed && s.open > 0 && s.paid == 0 &&
        s.credited == 0) {
      open.push_back(i);
      by_customer[books.invoices[i].customer].push_back(i);
    }
  }
  std::vector<bool> used(books.invoices.size(), false);
  const auto date = ledger.as_of;
  std::vector<Line> lines;
  const auto pick = [&]() -> std::uint32_t {
    for (int attempt = 0; attempt < 50 && !open.empty(); ++attempt) {
      const auto inv = open[rng.below(open.size())];
      if (!used[inv])
        return inv;
    }
    return k_none;
  };
  for (std::size_t n = 0; n < o.lines; ++n) {
    Line l;
    l.id = fmt::format("BTX{:08}", n + 1);
    l.date = date;
    const auto inv = pick();
    if (inv == k_none)
      break;
    const auto& invoice = books.invoices[inv];
    const auto& customer = books.customers[invoice.customer];
    l.currency = invoice.currency;
    l.customer = std::string(customer.id);
    l.name = bank_name(customer.name, rng);
    l.account = account_of(customer.id);
    const auto openv = ledger.invoices[inv].open;
    const auto pays = [&](std::uint32_t i, std::int64_t amount) {
      l.pays += fmt::format("{}{}={}", l.pays.empty() ? "" : ";",
                            books.invoices[i].id,
                            format_minor_units(amount, l.currency.exponent));
      used[i] = true;
    };
    const auto roll = rng.below(100);
    const auto offer = early_discount(books, inv);
    if (offer && date <= offer->until && offer->amount.minor() < openv &&
        rng.chance(70)) { // paid within the discount window, less it
      l.kind = "discount";
      l.amount = openv - offer->amount.minor();
      l.remittance = "Invoice " + written(invoice.id, rng, false);
      pays(inv, l.amount);
      l.pays += "+discount=" +
                format_minor_units(offer->amount.minor(), l.currency.exponent);
    } else if (roll < 45) { // in full, the number as written
      l.kind = "full";
      l.amount = openv;
      l.remittance = "Invoice " + written(invoice.id, rng, false);
      pays(inv, openv);
    } else if (roll < 52) { // the number mistyped: only the name is left
      l.kind = "typo";
      l.amount = openv;
      l.remittance = "Inv " + written(invoice.id, rng, true);
      pays(inv, openv);
    } else if (roll < 60) { // no number at all
      l.kind = "no-reference";
      l.amount = openv;
      l.remittance = rng.chance(50) ? "PAYMENT THANK YOU" : "";
      pays(inv, openv);
    } else if (roll < 70) { // several invoices of the customer
      l.kind = "combined";
      std::vector<std::uint32_t> more{inv};
      for (const auto other : by_customer[invoice.customer])
        if (more.size() < 3 && !used[other] && other != inv &&
            books.invoices[other].currency == l.currency)
          more.push_back(other);
      l.remittance = "Invoices";
      for (const auto i : more) {
        l.amount += ledger.invoices[i].open;
        l.remittance += " " + written(books.invoices[i].id, rng, false);
        pays(i, ledger.invoices[i].open);
      }
    } else if (roll < 76) { // bank charges deducted
      l.kind = "charges";
      const auto charges = std::min<std::int64_t>(openv - 1, 100 + static_cast<std::int64_t>(rng.below(1400)));
      l.amount = openv - charges;
      l.remittance = written(invoice.id, rng, false);
      pays(inv, l.amount);
      l.pays += "+writeoff=" + format_minor_units(charges, l.currency.exponent);
    } else if (roll < 84) { // part of it
      l.kind = "partial";
      l.amount = std::max<std::int64_t>(1, openv * (20 + static_cast<std::int64_t>(rng.below(60))) / 100);
      l.remittance = "Part payment " + written(invoice.id, rng, false);
      pays(inv, l.amount);
    } else if (roll < 88) { // more than is open
      l.kind = "overpaid";
      l.amount = openv + 100 * (1 + static_cast<std::int64_t>(rng.below(50)));
      l.remittance = "INV " + written(invoice.id, rng, false);
      pays(inv, openv);
      l.pays += "+unapplied=" +
                format_minor_units(l.amount - openv, l.currency.exponent);
    } else if (roll < 95) { // a payer the books do not know
      l.kind = "unknown";
      l.amount = 1000 + static_cast<std::int64_t>(rng.below(500000));
      l.name = fmt::format("WALK-IN CUSTOMER {}", rng.below(10000));
      l.account = fmt::format("GB{:02}XBNK{:010}", rng.below(97), rng.below(10000000000ull));
      l.remittance = rng.chance(50) ? "ORDER 55" + std::to_string(rng.below(1000)) : "";
      l.customer.clear();
    } else { // invoices of two customers in one payment
      l.kind = "two-customers";
      const auto other = pick();
      if (other == k_none || books.invoices[other].customer == invoice.customer ||
          books.invoices[other].currency != l.currency) {
        --n;
        continue;
      }
      l.amount = openv + ledger.invoices[other].open;
      l.remittance = "Invoices " + std::string(invoice.id) + " " +
                     std::string(books.invoices[other].id);
      l.customer.clear();
      used[inv] = used[other] = true;
    }
    lines.push_back(std::move(l));
  }
  return lines;
}

// ---- writers ----------------------------------------------------------------

std::string xml_escape(std::string_view s) {
  std::string out;
  for (const char c : s) {
    switch (c) {
    case '&': out += "&amp;"; break;
    case '<': out += "&lt;"; break;
    case '>': out += "&gt;"; break;
    case '"': out += "&quot;"; break;
    default: out += c;
    }
  }
  return out;
}

std::string camt053(const std::vector<Line>& lines, const Options& o,
                    Currency currency, Date date) {
  std::int64_t total = 0;
  for (const auto& l : lines)
    total += l.amount;
  const auto day = format_date(date);
  std::string out = fmt::format(
      R"(<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">
<BkToCstmrStmt>
<GrpHdr><MsgId>ARCTL-BANKGEN-{seed}</MsgId><CreDtTm>{day}T18:00:00</CreDtTm></GrpHdr>
<Stmt>
<Id>STMT-{seed}</Id><CreDtTm>{day}T18:00:00</CreDtTm>
<Acct><Id><IBAN>{account}</IBAN></Id><Ccy>{cur}</Ccy></Acct>
<Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy="{cur}">0.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>{day}</Dt></Dt></Bal>
<Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy="{cur}">{total}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>{day}</Dt></Dt></Bal>
)",
      fmt::arg("seed", o.seed), fmt::arg("day", day),
      fmt::arg("account", o.account), fmt::arg("cur", currency.name()),
      fmt::arg("total", plain(total, currency)));
  for (const auto& l : lines)
    out += fmt::format(
        R"(<Ntry><Amt Ccy="{cur}">{amount}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>{day}</Dt></BookgDt><ValDt><Dt>{day}</Dt></ValDt><AcctSvcrRef>{id}</AcctSvcrRef>
<NtryDtls><TxDtls><Refs><AcctSvcrRef>{id}</AcctSvcrRef><EndToEndId>NOTPROVIDED</EndToEndId></Refs><RltdPties><Dbtr><Nm>{name}</Nm></Dbtr><DbtrAcct><Id><IBAN>{payer}</IBAN></Id></DbtrAcct></RltdPties><RmtInf><Ustrd>{text}</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>
)",
        fmt::arg("cur", l.currency.name()), fmt::arg("amount", plain(l.amount, l.currency)),
        fmt::arg("day", format_date(l.date)), fmt::arg("id", l.id),
        fmt::arg("name", xml_escape(l.name)), fmt::arg("payer", l.account),
        fmt::arg("text", xml_escape(l.remittance)));
  out += "</Stmt>\n</BkToCstmrStmt>\n</Document>\n";
  return out;
}

std::string mt940(const std::vector<Line>& lines, const Options& o,
                  Currency currency, Date date) {
  const auto yymmdd = [](Date d) {
    return format_date(d).substr(2, 2) + format_date(d).substr(5, 2) +
           format_date(d).substr(8, 2);
  };
  std::int64_t total = 0;
  std::string out = fmt::format(":20:ARCTL{}\n:25:{}\n:28C:1/1\n:60F:C{}{}0,00\n",
                                o.seed, o.account, yymmdd(date), currency.name());
  for (const auto& l : lines) {
    total += l.amount;
    out += fmt::format(":61:{}{}C{}NTRFNONREF//{}\n", yymmdd(l.date),
                       yymmdd(l.date).substr(2), plain(l.amount, l.currency, ','),
                       l.id);
    // Structured :86: as Dutch and German banks send it, in lines of at
    // most 65 characters.
    const auto text = fmt::format("/ORDP//NAME/{}/IBAN/{}/REMI/{}", l.name,
                                  l.account, l.remittance);
    out += ":86:";
    for (std::size_t at = 0; at < text.size(); at += 65)
      out += (at ? "\n" : "") + text.substr(at, 65);
    out += "\n";
  }
  out += fmt::format(":62F:C{}{}{}\n-\n", yymmdd(date), currency.name(),
                     plain(total, currency, ','));
  return out;
}

std::string bai2(const std::vector<Line>& lines, const Options& o,
                 Currency currency, Date date) {
  const auto yymmdd = format_date(date).substr(2, 2) +
                      format_date(date).substr(5, 2) +
                      format_date(date).substr(8, 2);
  std::int64_t total = 0;
  std::string body;
  std::size_t records = 0; // of the account: 03, 16, 88 and 49
  for (const auto& l : lines) {
    total += l.amount;
    body += fmt::format("16,195,{},0,{},,{}\n", l.amount, l.id,
                        "/ORDP/" + l.name);
    body += fmt::format("88,ACCT/{}/REMI/{}\n", l.account, l.remittance);
    records += 2;
  }
  records += 2; // 03 and 49
  std::string out;
  out += fmt::format("01,ARCTLBANK,ARCTL,{},1800,{},,,2/\n", yymmdd, o.seed);
  out += fmt::format("02,ARCTL,ARCTLBANK,1,{},1800,{},2/\n", yymmdd,
                     currency.name());
  out += fmt::format("03,{},{},015,0,,,040,{},,/\n", o.account,
                     currency.name(), total);
  out += body;
  // Control totals: the account's is the sum of its 03 and 16 amounts.
  out += fmt::format("49,{},{}/\n", total + total, records);
  out += fmt::format("98,{},1,{}/\n", total + total, records + 2);
  out += fmt::format("99,{},1,{}/\n", total + total, records + 4);
  return out;
}

} // namespace

int main(int argc, char** argv) {
  Options o;
  CLI::App app{"Write a bank statement of payments for the open invoices of "
               "some books, with the answers (bench/README.md)"};
  app.add_option("--books", o.books, "The books")->required();
  app.add_option("--format", o.format, "camt053, mt940 or bai2")
      ->check(CLI::IsMember({"camt053", "mt940", "bai2"}));
  app.add_option("--lines", o.lines, "How many credits (default: 1000)");
  app.add_option("--seed", o.seed, "Seed of the random choices (default: 1)");
  app.add_option("--account", o.account, "The company's bank account");
  app.add_option("--out", o.out, "The statement file")->required();
  app.add_option("--answers", o.answers, "The answers, CSV")->required();
  CLI11_PARSE(app, argc, argv);

  auto books = open_books(BooksDir{o.books, ""}, {});
  if (!books) {
    std::fprintf(stderr, "arctl-bankgen: %s\n", books.error().message.c_str());
    return 65;
  }
  const auto last = latest_fact_date(**books);
  const auto ledger = compute_ledger(**books, last.value_or(Date{}));
  // One currency per statement: the books' own.
  auto lines = make_lines(**books, ledger, o);
  const auto currency = (*books)->config.currency;
  std::erase_if(lines, [&](const Line& l) { return l.currency != currency; });
  const auto date = ledger.as_of;
  std::ofstream(o.out, std::ios::binary)
      << (o.format == "camt053" ? camt053(lines, o, currency, date)
          : o.format == "mt940" ? mt940(lines, o, currency, date)
                                : bai2(lines, o, currency, date));
  std::ofstream answers(o.answers, std::ios::binary);
  answers << "bank_tx,kind,customer,pays\n";
  for (const auto& l : lines)
    answers << fmt::format("{},{},{},{}\n", l.id, l.kind, l.customer, l.pays);
  return 0;
}
