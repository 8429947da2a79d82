// The tags of a mustache template, for tests that hold built-in templates
// to their documented variables.
#pragma once

#include <doctest/doctest.h>

#include <algorithm>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace arctl::testing {

struct TemplateTag {
  char sigil = ' ';  // '#', '^', '/', '{', '&' or ' ' for a plain {{x}}
  std::string name;  // without the sigil
  std::string list;  // the list section it is inside ("lines"), or ""
};

// Every tag but comments, in order; `lists` names the sections that are
// lists, whose elements' variables are used inside them.
inline std::vector<TemplateTag>
template_tags(std::string_view text, std::span<const std::string_view> lists) {
  std::vector<TemplateTag> tags;
  std::string list;
  std::size_t at = 0;
  while ((at = text.find("{{", at)) != std::string_view::npos) {
    const auto end = text.find("}}", at);
    REQUIRE(end != std::string_view::npos);
    std::string_view tag = text.substr(at + 2, end - at - 2);
    at = end + 2;
    const char sigil = tag.empty() ? ' ' : tag.front();
    if (sigil == '!')
      continue;
    const bool marked = sigil == '#' || sigil == '^' || sigil == '/' ||
                        sigil == '{' || sigil == '&';
    if (marked)
      tag.remove_prefix(1);
    const bool is_list =
        std::find(lists.begin(), lists.end(), tag) != lists.end();
    if (sigil == '/' && tag == list)
      list.clear();
    tags.push_back({marked ? sigil : ' ', std::string(tag), list});
    if (sigil == '#' && is_list)
      list = tag;
  }
  return tags;
}

} // namespace arctl::testing
