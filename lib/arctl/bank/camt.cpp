// ISO 20022 bank-to-customer messages: the camt.053 statement and the
// camt.054 debit/credit notification, any schema version (elements are
// matched by local name, whatever their namespace). Each entry (Ntry) is
// one booking on the account; its transaction details (TxDtls) say what
// it was, one per payment when the entry is a batch.
#include "arctl/bank/reading.hpp"
#include "arctl/bank/statement.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <pugixml.hpp>

namespace arctl {

namespace {

using bank::append_text;
using bank::Problems;
using bank::squeeze;

std::string_view local(const char* name) {
  const std::string_view n(name);
  const auto colon = n.find(':');
  return colon == std::string_view::npos ? n : n.substr(colon + 1);
}

// The first child element of `node` named `name`.
pugi::xml_node child(pugi::xml_node node, std::string_view name) {
  for (auto c = node.first_child(); c; c = c.next_sibling())
    if (c.type() == pugi::node_element && local(c.name()) == name)
      return c;
  return {};
}

// The element at `path` ("RltdPties/Dbtr/Nm") below `node`.
pugi::xml_node at(pugi::xml_node node, std::string_view path) {
  while (node && !path.empty()) {
    const auto slash = path.find('/');
    node = child(node, path.substr(0, slash));
    path = slash == std::string_view::npos ? std::string_view{}
                                           : path.substr(slash + 1);
  }
  return node;
}

// The text of the element at `path`, squeezed; empty if there is none.
std::string text(pugi::xml_node node, std::string_view path) {
  return squeeze(at(node, path).child_value());
}

// The first of `paths` that has text.
std::string first_text(pugi::xml_node node,
                       std::initializer_list<std::string_view> paths) {
  for (const auto p : paths)
    if (auto t = text(node, p); !t.empty())
      return t;
  return {};
}

template <class F> void each(pugi::xml_node node, std::string_view name, F f) {
  for (auto c = node.first_child(); c; c = c.next_sibling())
    if (c.type() == pugi::node_element && local(c.name()) == name)
      f(c);
}

// The bank's code for the kind of transaction: the ISO domain, family and
// sub-family ("PMNT/RCDT/ESCT"), else the bank's proprietary code.
std::string type_of(pugi::xml_node bank_code) {
  const auto domain = at(bank_code, "Domn");
  if (domain) {
    std::string out = text(domain, "Cd");
    for (const auto p : {"Fmly/Cd", "Fmly/SubFmlyCd"})
      if (auto t = text(domain, p); !t.empty())
        out += "/" + t;
    return out;
  }
  return text(bank_code, "Prtry/Cd");
}

// What the transaction details of an entry say.
struct Details {
  std::string counterparty, counterparty_account, remittance, end_to_end,
      reference, bank_tx, type, extra;
};

Details details_of(pugi::xml_node tx, bool credit) {
  Details d;
  const auto party = credit ? "Dbtr" : "Cdtr";
  const auto ultimate = credit ? "UltmtDbtr" : "UltmtCdtr";
  const auto parties = at(tx, "RltdPties");
  // Version 8 wraps a party in Pty.
  for (const auto who : {party, ultimate})
    if (d.counterparty.empty())
      d.counterparty = first_text(at(parties, who), {"Nm", "Pty/Nm"});
  d.counterparty_account = first_text(
      at(parties, credit ? "DbtrAcct" : "CdtrAcct"), {"Id/IBAN", "Id/Othr/Id"});
  const auto refs = at(tx, "Refs");
  d.end_to_end = text(refs, "EndToEndId");
  if (d.end_to_end == "NOTPROVIDED")
    d.end_to_end.clear();
  d.bank_tx = first_text(refs, {"AcctSvcrRef", "TxId"});
  const auto rmt = at(tx, "RmtInf");
  each(rmt, "Ustrd",
       [&](pugi::xml_node u) { append_text(d.remittance, u.child_value()); });
  // Structured remittance in the order given: the documents paid
  // (invoice numbers), the creditor's reference, more text.
  each(rmt, "Strd", [&](pugi::xml_node s) {
    for (auto part = s.first_child(); part; part = part.next_sibling()) {
      const auto name = local(part.name());
      if (name == "RfrdDocInf") {
        append_text(d.remittance, text(part, "Nb"));
      } else if (name == "CdtrRefInf") {
        const auto ref = text(part, "Ref");
        if (d.reference.empty())
          d.reference = ref;
        append_text(d.remittance, ref);
      } else if (name == "AddtlRmtInf") {
        append_text(d.remittance, part.child_value());
      }
    }
  });
  d.extra = text(tx, "AddtlTxInf");
  if (const auto code = at(tx, "BkTxCd"))
    d.type = type_of(code);
  return d;
}

class Reader {
public:
  Reader(const bank::Text& text, StatementFormat format)
      : m_text(text), m_format(format), m_problems(text) {}

  Result<Transactions> read() {
    pugi::xml_document doc;
    const auto parsed =
        doc.load_buffer(m_text.text().data(), m_text.text().size(),
                        pugi::parse_default, pugi::encoding_utf8);
    if (!parsed) {
      const auto at =
          static_cast<std::size_t>(std::max<std::ptrdiff_t>(0, parsed.offset));
      const auto rest =
          m_text.text().substr(std::min(at, m_text.text().size()));
      // pugixml stops at the last character of a file that ends too early.
      const bool at_end =
          parsed.status == pugi::status_end_element_mismatch &&
          (rest.size() <= 1 ||
           rest.find_first_not_of(" \t\r\n") == std::string_view::npos);
      // The last line with text, for a file that ends too early.
      const auto last = m_text.text().find_last_not_of(" \t\r\n");
      m_problems.at_offset(
          at_end && last != std::string_view::npos ? last : at, "xml-syntax",
          at_end
              ? std::string("the XML ends before its elements are closed")
              : fmt::format("the XML is malformed: {}", parsed.description()),
          at_end ? "the file is cut short (an unfinished download?)" : "");
      return std::unexpected(m_problems.error());
    }
    const auto root = doc.document_element();
    const bool statement = m_format == StatementFormat::camt053;
    const auto message =
        child(root, statement ? "BkToCstmrStmt" : "BkToCstmrDbtCdtNtfctn");
    if (local(root.name()) != "Document" || !message) {
      const auto other =
          child(root, statement ? "BkToCstmrDbtCdtNtfctn" : "BkToCstmrStmt");
      problem(root, "camt-message",
              other ? fmt::format("the file is a camt.{} {}, not a camt.{} {}",
                                  statement ? "054" : "053",
                                  statement ? "notification" : "statement",
                                  statement ? "053" : "054",
                                  statement ? "statement" : "notification")
                    : fmt::format("the file is not an ISO 20022 camt.{} "
                                  "message",
                                  statement ? "053" : "054"),
              "--format auto tells camt.053 from camt.054");
      return std::unexpected(m_problems.error());
    }
    std::size_t index = 0;
    each(message, statement ? "Stmt" : "Ntfctn",
         [&](pugi::xml_node s) { report(s, ++index); });
    if (!m_problems.empty())
      return std::unexpected(m_problems.error());
    return std::move(m_out);
  }

private:
  std::uint32_t line_of(pugi::xml_node node) const {
    return m_text.position(static_cast<std::size_t>(node.offset_debug())).first;
  }

  void problem(pugi::xml_node node, std::string code, std::string message,
               std::string hint = {}) {
    const auto offset = static_cast<std::size_t>(
        std::max<std::ptrdiff_t>(0, node.offset_debug()));
    m_problems.at_offset(
        offset > 0 ? offset - 1 : 0, std::move(code), std::move(message),
        std::move(hint),
        static_cast<std::uint32_t>(std::strlen(node.name()) + 2));
  }

  // A statement or a notification.
  void report(pugi::xml_node s, std::size_t index) {
    const auto account = first_text(s, {"Acct/Id/IBAN", "Acct/Id/Othr/Id"});
    const auto name = m_format == StatementFormat::camt053 ? "Stmt" : "Ntfctn";
    std::size_t n = 0;
    each(s, "Ntry", [&](pugi::xml_node e) {
      entry(e, account, fmt::format("{}[{}]/Ntry[{}]", name, index, ++n));
    });
  }

  // An amount and its direction: Amt with its Ccy, CdtDbtInd.
  struct Amount {
    std::int64_t amount = 0;
    Currency currency;
  };
  std::optional<Amount> money(pugi::xml_node amount_node, bool credit) {
    const auto cur = bank::currency_at(amount_node.attribute("Ccy").value(),
                                       m_problems, line_of(amount_node), 1);
    if (!cur)
      return std::nullopt;
    const auto v =
        bank::unsigned_amount(squeeze(amount_node.child_value()), '.', *cur);
    if (!v) {
      problem(amount_node, "camt-amount", v.error());
      return std::nullopt;
    }
    return Amount{credit ? *v : -*v, *cur};
  }

  std::optional<bool> credit_of(pugi::xml_node node,
                                std::optional<bool> otherwise) {
    const auto mark = text(node, "CdtDbtInd");
    if (mark == "CRDT")
      return true;
    if (mark == "DBIT")
      return false;
    if (mark.empty() && otherwise)
      return otherwise;
    problem(at(node, "CdtDbtInd") ? at(node, "CdtDbtInd") : node,
            "camt-indicator",
            mark.empty()
                ? std::string("CdtDbtInd is missing")
                : fmt::format("CdtDbtInd \"{}\" is not CRDT or DBIT", mark));
    return std::nullopt;
  }

  std::optional<Date> date_of(pugi::xml_node node) {
    auto t = first_text(node, {"Dt", "DtTm"});
    if (t.empty())
      return std::nullopt;
    const auto d = parse_date(t.substr(0, 10));
    if (!d) {
      problem(node, "camt-date", fmt::format("date \"{}\" is not a date", t));
      return std::nullopt;
    }
    return *d;
  }

  void entry(pugi::xml_node e, const std::string& account,
             const std::string& path) {
    // Pending and information-only entries are not on the account yet.
    const auto status = first_text(e, {"Sts/Cd", "Sts"});
    if (!status.empty() && status != "BOOK")
      return;
    const auto credit = credit_of(e, std::nullopt);
    const auto amount_node = child(e, "Amt");
    if (!amount_node) {
      problem(e, "camt-amount", "the entry has no Amt");
      return;
    }
    if (!credit)
      return;
    const auto total = money(amount_node, *credit);
    const auto value_date = date_of(child(e, "ValDt"));
    auto booked = date_of(child(e, "BookgDt"));
    if (!booked)
      booked = value_date;
    if (!booked) {
      problem(e, "camt-date", "the entry has neither BookgDt nor ValDt");
      return;
    }
    if (!total)
      return;
    BankTransaction base;
    base.account = account;
    base.date = *booked;
    base.value_date = value_date;
    const auto reversal = text(e, "RvslInd");
    base.reversal = reversal == "true" || reversal == "1";
    base.type = type_of(child(e, "BkTxCd"));
    const auto entry_ref = text(e, "AcctSvcrRef");

    std::vector<pugi::xml_node> txs;
    each(e, "NtryDtls", [&](pugi::xml_node d) {
      each(d, "TxDtls", [&](pugi::xml_node t) { txs.push_back(t); });
    });
    const auto own_amount = [](pugi::xml_node t) {
      for (const auto p : {"Amt", "AmtDtls/TxAmt/Amt", "AmtDtls/InstdAmt/Amt"})
        if (const auto a = at(t, p))
          return a;
      return pugi::xml_node{};
    };
    const bool split =
        txs.size() >= 2 && std::all_of(txs.begin(), txs.end(), [&](auto t) {
          return static_cast<bool>(own_amount(t));
        });
    if (split) {
      // A batch: one transaction per payment in it, with its own amount.
      for (std::size_t i = 0; i < txs.size(); ++i) {
        const auto tx = txs[i];
        const auto tx_credit = credit_of(tx, *credit);
        if (!tx_credit)
          continue;
        const auto m = money(own_amount(tx), *tx_credit);
        if (!m)
          continue;
        auto d = details_of(tx, *tx_credit);
        auto t = base;
        t.amount = m->amount;
        t.currency = m->currency;
        if (!d.type.empty())
          t.type = d.type;
        if (d.bank_tx.empty() && !entry_ref.empty())
          d.bank_tx = fmt::format("{}/{}", entry_ref, i + 1);
        fill(t, std::move(d));
        if (t.remittance.empty())
          t.remittance = text(e, "AddtlNtryInf");
        t.line = line_of(tx);
        t.path = fmt::format("{}/TxDtls[{}]", path, i + 1);
        m_out.push_back(std::move(t));
      }
      return;
    }
    // One booking: the entry's amount, as the account was booked with it,
    // and what its details say (all of them when several payments without
    // amounts of their own make it).
    auto t = base;
    t.amount = total->amount;
    t.currency = total->currency;
    Details d;
    for (std::size_t i = 0; i < txs.size(); ++i) {
      auto one = details_of(txs[i], *credit);
      if (i == 0) {
        d = std::move(one);
        continue;
      }
      if (one.counterparty != d.counterparty)
        d.counterparty.clear();
      if (one.counterparty_account != d.counterparty_account)
        d.counterparty_account.clear();
      if (one.end_to_end != d.end_to_end)
        d.end_to_end.clear();
      append_text(d.remittance, one.remittance);
      append_text(d.extra, one.extra);
      d.bank_tx.clear();
    }
    if (!entry_ref.empty())
      d.bank_tx = entry_ref;
    d.type.clear(); // the entry's own code
    fill(t, std::move(d));
    if (t.remittance.empty())
      t.remittance = text(e, "AddtlNtryInf");
    t.line = line_of(e);
    t.path = path;
    m_out.push_back(std::move(t));
  }

  static void fill(BankTransaction& t, Details d) {
    t.counterparty = std::move(d.counterparty);
    t.counterparty_account = std::move(d.counterparty_account);
    t.remittance =
        d.remittance.empty() ? std::move(d.extra) : std::move(d.remittance);
    t.end_to_end = std::move(d.end_to_end);
    t.reference = std::move(d.reference);
    t.bank_tx = std::move(d.bank_tx);
    if (!d.type.empty())
      t.type = std::move(d.type);
  }

  const bank::Text& m_text;
  StatementFormat m_format;
  Problems m_problems;
  Transactions m_out;
};

} // namespace

Result<Transactions> parse_camt(std::string_view text, StatementFormat format,
                                const StatementOptions& options) {
  const bank::Text lines(text, options.file);
  return Reader(lines, format).read();
}

} // namespace arctl
