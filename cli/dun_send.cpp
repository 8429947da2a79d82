// arctl dun send: the dunning plan carried out — letters and e-mail
// messages written, optionally handed to a mail program, and the notices
// recorded.
#include "common.hpp"

#include "arctl/customers.hpp"
#include "arctl/dunning_send.hpp"
#include "arctl/mail.hpp"

#include <fmt/format.h>

#include <chrono>
#include <ctime>
#include <memory>
#include <numeric>

namespace arctl::cli {

namespace {

struct SendCommand {
  std::optional<std::string> as_of;
  std::vector<std::string> customers;
  std::string out;
  bool charge_fees = false;
  std::optional<std::string> sendmail;
  bool dry_run = false;
};

// Now, as this machine's clock and time zone have it, for Date: fields.
std::string message_date() {
  const auto now =
      std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  const std::time_t t = std::chrono::system_clock::to_time_t(now);
  std::tm local{};
  ::localtime_r(&t, &local);
  return rfc5322_date(now, std::chrono::minutes(local.tm_gmtoff / 60));
}

int run_send(const GlobalOptions& global, const SendCommand& o) {
  const auto as_of = date_or_today("--as-of", o.as_of);
  if (!as_of)
    return static_cast<int>(ExitCode::usage);
  std::vector<std::string> mailer;
  if (o.sendmail) {
    auto words = split_command(*o.sendmail);
    if (!words)
      return usage_error("--sendmail", words.error().message);
    mailer = std::move(*words);
  }
  int failure = 0; // exit code of the first failed delivery
  std::vector<std::string> lines; // one per notice recorded
  const auto status = write_books(
      global, o.dry_run,
      [&](const Books& books) -> Result<PlannedChange> {
        DunningRequest request;
        for (const auto& id : o.customers) {
          const auto c = find_customer_id(books, id);
          if (!c)
            return std::unexpected(c.error());
          request.customers.push_back(*c);
        }
        const auto ledger = compute_ledger(books, *as_of);
        auto run = prepare_dunning(books, plan_dunning(books, ledger, request),
                                   {o.charge_fees, message_date()});
        if (!run)
          return std::unexpected(std::move(run.error()));
        std::vector<std::size_t> all(run->letters.size());
        std::iota(all.begin(), all.end(), std::size_t{0});
        // Everything is checked before the first letter goes out.
        auto planned = record_dunning(books, ledger, *run, all);
        if (!planned || o.dry_run || all.empty())
          return planned;
        auto outcomes = deliver_letters(books, *run, {o.out, o.out, mailer});
        if (!outcomes)
          return std::unexpected(std::move(outcomes.error()));
        std::vector<std::size_t> sent;
        for (const auto& outcome : *outcomes) {
          if (outcome.error) {
            const auto code = report(*outcome.error);
            failure = failure ? failure : code;
            continue;
          }
          const auto& letter = run->letters[outcome.letter];
          const auto& n = run->plan.notices[letter.notice];
          const auto& customer = books.customers[n.customer];
          sent.push_back(outcome.letter);
          lines.push_back(fmt::format(
              "{} {} '{}' {} {}: {}", letter.id, customer.id,
              books.config.dunning.levels[n.level].name, n.currency.name(),
              Money(n.overdue + n.fee + n.interest, n.currency).to_display(),
              mailer.empty() ? outcome.message_file
                             : fmt::format("sent to {} by {}", customer.email,
                                           mailer.front())));
        }
        if (sent.size() == all.size())
          return planned;
        return record_dunning(books, ledger, *run, sent);
      },
      [&](const PlannedChange& planned) {
        if (lines.empty())
          return failure ? std::string()
                         : fmt::format("No notice is due as of {}.",
                                       format_date(*as_of));
        std::string text;
        for (const auto& line : lines)
          text += line + "\n";
        text += fmt::format("recorded {} notice{} in notices.csv",
                            lines.size(), lines.size() == 1 ? "" : "s");
        if (!planned.summary.empty())
          text += "\n" + planned.summary;
        return text;
      });
  return status != 0 ? status : failure;
}

} // namespace

void register_dun_send(CLI::App& dun, const GlobalOptions& global,
                       Commands& commands) {
  auto o = std::make_shared<SendCommand>();
  auto* sub = dun.add_subcommand(
      "send", "Carry out the dunning plan: write each notice's letter and "
              "e-mail, optionally mail it, and record it in notices.csv");
  sub->add_option("--as-of", o->as_of,
                  "Send the notices due on this date (default: today)")
      ->option_text("YYYY-MM-DD");
  sub->add_option("--customer", o->customers,
                  "Only this customer (repeat for several)")
      ->option_text("ID")
      ->allow_extra_args(false);
  sub->add_option("--out", o->out,
                  "Write DIR/NOTICE.txt, .html and .eml for each notice")
      ->option_text("DIR")
      ->required();
  sub->add_flag("--charge-fees", o->charge_fees,
                "Charge the levels' fees and interest on fee invoices");
  sub->add_option("--sendmail", o->sendmail,
                  "Pipe each message to this command (no shell), e.g. "
                  "\"sendmail -t\"; record only those it accepts")
      ->option_text("CMD");
  add_dry_run(*sub, o->dry_run);
  commands.push_back({sub, [&global, o] { return run_send(global, *o); }});
}

} // namespace arctl::cli
