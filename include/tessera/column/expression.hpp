// tessera: a small filter-expression language evaluated against a table.
//
// Grammar (keywords and true/false/null are case-insensitive):
//   expr       := or
//   or         := and ( OR and )*
//   and        := unary ( AND unary )*
//   unary      := NOT unary | '(' expr ')' | comparison
//   comparison := operand op operand          (at least one operand is a column)
//   op         := '=' | '==' | '!=' | '<>' | '<' | '<=' | '>' | '>='
//   operand    := column | number | string | true | false | null
//   column     := [A-Za-z_][A-Za-z0-9_.]*  |  "double-quoted name"   ("" inside is a quote)
//   string     := 'single-quoted text, may hold spaces, commas and '' for a quote'
//   number     := [+-]? digits [. digits] [e [+-] digits]   (integers stay exact)
//
// Evaluation uses SQL three-valued logic: a comparison involving a null is unknown, NOT unknown
// is unknown, and only rows where the whole expression is true are selected (so `NOT x > 1`
// does not select rows where x is null). Comparisons follow compare.hpp (NaN, exact literals);
// two numeric columns of different types compare as float64.
//
// Errors are errc::parse_error (syntax), errc::not_found (unknown column) or
// errc::invalid_argument (a comparison between incompatible types); each carries the 1-based
// character position in location().column, the 0-based byte offset, and the expression as context.
#pragma once

#include <tessera/column/cast.hpp>
#include <tessera/column/column.hpp>
#include <tessera/column/compare.hpp>
#include <tessera/column/filter.hpp>
#include <tessera/column/scalar.hpp>
#include <tessera/column/table.hpp>
#include <tessera/config.hpp>
#include <tessera/core/bitmap.hpp>
#include <tessera/core/error.hpp>
#include <tessera/core/expected.hpp>
#include <tessera/detail/column/bits.hpp>

#include <cctype>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

TESSERA_NAMESPACE_BEGIN

/// A parsed filter expression (see the header comment for the language). Cheap to copy.
class filter_expression {
public:
  /// Parses `text`. Errors: errc::parse_error pointing at the offending position.
  [[nodiscard]] static expected<filter_expression> parse(std::string_view text);

  /// The rows of `t` where the expression is true. Errors: errc::not_found for an unknown column,
  /// errc::invalid_argument for incompatible types, both pointing at the comparison.
  [[nodiscard]] expected<bitmap> evaluate(const table& t) const;

  /// A canonical, fully parenthesised rendering (for messages and tests).
  [[nodiscard]] std::string to_string() const;
  /// The source text.
  [[nodiscard]] const std::string& text() const noexcept { return text_; }

  struct node;

private:
  filter_expression(std::string text, std::shared_ptr<const node> root)
      : text_(std::move(text)), root_(std::move(root)) {}
  std::string text_;
  std::shared_ptr<const node> root_;
};

struct filter_expression::node {
  enum class kind : std::uint8_t { compare, logical_and, logical_or, logical_not };
  struct operand {
    bool is_column = false;
    std::string name; // column
    scalar value;     // literal
    std::size_t pos = 0;
  };
  kind k = kind::compare;
  compare_op op = compare_op::eq;
  operand lhs, rhs;
  std::shared_ptr<const node> a, b;
  std::size_t pos = 0;
};

namespace detail {

inline error expr_error(errc code, std::string message, std::string_view text, std::size_t pos) {
  location where;
  where.column = pos + 1;
  where.byte_offset = pos;
  where.context = "in expression \"" + std::string(text) + "\"";
  return error(code, std::move(message) + " at position " + std::to_string(pos + 1), where);
}

class expr_parser {
public:
  using node = filter_expression::node;
  explicit expr_parser(std::string_view text) : s_(text) {}

  expected<std::shared_ptr<const node>> parse_all() {
    auto e = parse_or();
    if (!e) return e;
    skip_ws();
    if (i_ != s_.size())
      return fail("expected AND, OR or the end of the expression, found " + found());
    return e;
  }

private:
  using result = expected<std::shared_ptr<const node>>;

  result fail(std::string msg) const {
    return unexpected(expr_error(errc::parse_error, std::move(msg), s_, i_));
  }
  void skip_ws() {
    while (i_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[i_]))) ++i_;
  }
  std::string found() const {
    if (i_ >= s_.size()) return "the end";
    std::size_t e = i_ + 1;
    while (e < s_.size() && e - i_ < 12 && !std::isspace(static_cast<unsigned char>(s_[e]))) ++e;
    return "'" + std::string(s_.substr(i_, e - i_)) + "'";
  }
  static bool ident_start(char c) {
    return std::isalpha(static_cast<unsigned char>(c)) || c == '_';
  }
  static bool ident_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.';
  }
  static bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t k = 0; k < a.size(); ++k)
      if (std::tolower(static_cast<unsigned char>(a[k])) !=
          std::tolower(static_cast<unsigned char>(b[k])))
        return false;
    return true;
  }
  /// True (and consumes it) when the next word is the keyword.
  bool keyword(std::string_view kw) {
    skip_ws();
    if (s_.size() - i_ < kw.size() || !iequals(s_.substr(i_, kw.size()), kw)) return false;
    if (i_ + kw.size() < s_.size() && ident_char(s_[i_ + kw.size()])) return false;
    i_ += kw.size();
    return true;
  }

  result parse_or() {
    auto left = parse_and();
    if (!left) return left;
    while (true) {
      const std::size_t at = (skip_ws(), i_);
      if (!keyword("OR")) return left;
      auto right = parse_and();
      if (!right) return right;
      auto n = std::make_shared<node>();
      n->k = node::kind::logical_or;
      n->a = std::move(*left);
      n->b = std::move(*right);
      n->pos = at;
      left = std::shared_ptr<const node>(std::move(n));
    }
  }
  result parse_and() {
    auto left = parse_unary();
    if (!left) return left;
    while (true) {
      const std::size_t at = (skip_ws(), i_);
      if (!keyword("AND")) return left;
      auto right = parse_unary();
      if (!right) return right;
      auto n = std::make_shared<node>();
      n->k = node::kind::logical_and;
      n->a = std::move(*left);
      n->b = std::move(*right);
      n->pos = at;
      left = std::shared_ptr<const node>(std::move(n));
    }
  }
  result parse_unary() {
    skip_ws();
    const std::size_t at = i_;
    if (++depth_ > 200) return fail("expression nests too deeply");
    struct guard {
      int& d;
      ~guard() { --d; }
    } g{depth_};
    if (keyword("NOT")) {
      auto inner = parse_unary();
      if (!inner) return inner;
      auto n = std::make_shared<node>();
      n->k = node::kind::logical_not;
      n->a = std::move(*inner);
      n->pos = at;
      return std::shared_ptr<const node>(std::move(n));
    }
    if (i_ < s_.size() && s_[i_] == '(') {
      ++i_;
      auto inner = parse_or();
      if (!inner) return inner;
      skip_ws();
      if (i_ >= s_.size() || s_[i_] != ')')
        return fail("expected ')' to close the '(' at position " + std::to_string(at + 1) +
                    ", found " + found());
      ++i_;
      return inner;
    }
    return parse_comparison();
  }
  result parse_comparison() {
    skip_ws();
    const std::size_t at = i_;
    node::operand lhs, rhs;
    if (auto e = parse_operand(lhs); !e) return unexpected(std::move(e.error()));
    skip_ws();
    const std::size_t op_at = i_;
    compare_op op;
    if (!parse_op(op))
      return unexpected(expr_error(
          errc::parse_error, "expected a comparison operator (= != < <= > >=), found " + found(),
          s_, op_at));
    if (auto e = parse_operand(rhs); !e) return unexpected(std::move(e.error()));
    if (!lhs.is_column && !rhs.is_column)
      return unexpected(expr_error(errc::parse_error,
                                   "a comparison needs a column on at least one side", s_, at));
    if (!lhs.is_column) { // literal op column -> column op' literal
      std::swap(lhs, rhs);
      switch (op) {
      case compare_op::lt:
        op = compare_op::gt;
        break;
      case compare_op::le:
        op = compare_op::ge;
        break;
      case compare_op::gt:
        op = compare_op::lt;
        break;
      case compare_op::ge:
        op = compare_op::le;
        break;
      default:
        break;
      }
    }
    auto n = std::make_shared<node>();
    n->k = node::kind::compare;
    n->op = op;
    n->lhs = std::move(lhs);
    n->rhs = std::move(rhs);
    n->pos = at;
    return std::shared_ptr<const node>(std::move(n));
  }
  bool parse_op(compare_op& op) {
    const auto take = [&](std::string_view t) {
      if (s_.substr(i_, t.size()) == t) {
        i_ += t.size();
        return true;
      }
      return false;
    };
    if (take("==") || take("="))
      op = compare_op::eq;
    else if (take("!=") || take("<>"))
      op = compare_op::ne;
    else if (take("<="))
      op = compare_op::le;
    else if (take(">="))
      op = compare_op::ge;
    else if (take("<"))
      op = compare_op::lt;
    else if (take(">"))
      op = compare_op::gt;
    else
      return false;
    return true;
  }
  expected<void*> parse_operand(node::operand& out) {
    skip_ws();
    out.pos = i_;
    if (i_ >= s_.size())
      return unexpected(expr_error(errc::parse_error,
                                   "expected a column, number or 'string', found the end", s_, i_));
    const char c = s_[i_];
    if (c == '\'' || c == '"') { // string literal or quoted column name
      const std::size_t start = i_++;
      std::string text;
      while (true) {
        if (i_ >= s_.size())
          return unexpected(expr_error(errc::parse_error,
                                       std::string("unterminated ") +
                                           (c == '\'' ? "string" : "quoted column name") +
                                           " starting",
                                       s_, start));
        if (s_[i_] == c) {
          if (i_ + 1 < s_.size() && s_[i_ + 1] == c) { // doubled quote
            text += c;
            i_ += 2;
            continue;
          }
          ++i_;
          break;
        }
        text += s_[i_++];
      }
      if (c == '\'') {
        out.value = scalar(std::move(text));
      } else {
        out.is_column = true;
        out.name = std::move(text);
      }
      return nullptr;
    }
    if (std::isdigit(static_cast<unsigned char>(c)) || c == '-' || c == '+' || c == '.') {
      return parse_number(out);
    }
    if (ident_start(c)) {
      const std::size_t start = i_;
      while (i_ < s_.size() && ident_char(s_[i_])) ++i_;
      const std::string_view word = s_.substr(start, i_ - start);
      if (iequals(word, "true")) {
        out.value = scalar(true);
      } else if (iequals(word, "false")) {
        out.value = scalar(false);
      } else if (iequals(word, "null")) {
        out.value = scalar();
      } else if (iequals(word, "and") || iequals(word, "or") || iequals(word, "not")) {
        return unexpected(expr_error(errc::parse_error,
                                     "expected a column, number or 'string', found the keyword '" +
                                         std::string(word) + "'",
                                     s_, start));
      } else {
        out.is_column = true;
        out.name = std::string(word);
      }
      return nullptr;
    }
    return unexpected(expr_error(
        errc::parse_error, "expected a column, number or 'string', found " + found(), s_, i_));
  }
  expected<void*> parse_number(node::operand& out) {
    const std::size_t start = i_;
    std::size_t k = i_;
    if (s_[k] == '+' || s_[k] == '-') ++k;
    const std::size_t digits_start = k;
    while (k < s_.size() && std::isdigit(static_cast<unsigned char>(s_[k]))) ++k;
    bool is_float = false;
    if (k < s_.size() && s_[k] == '.') {
      is_float = true;
      ++k;
      while (k < s_.size() && std::isdigit(static_cast<unsigned char>(s_[k]))) ++k;
    }
    if (k == digits_start || (is_float && k == digits_start + 1))
      return unexpected(expr_error(errc::parse_error, "malformed number", s_, start));
    if (k < s_.size() && (s_[k] == 'e' || s_[k] == 'E')) {
      is_float = true;
      ++k;
      if (k < s_.size() && (s_[k] == '+' || s_[k] == '-')) ++k;
      const std::size_t exp_start = k;
      while (k < s_.size() && std::isdigit(static_cast<unsigned char>(s_[k]))) ++k;
      if (k == exp_start)
        return unexpected(expr_error(errc::parse_error, "malformed number exponent", s_, start));
    }
    if (k < s_.size() && ident_char(s_[k]))
      return unexpected(expr_error(errc::parse_error, "malformed number", s_, start));
    std::string_view tok = s_.substr(start, k - start);
    if (!tok.empty() && tok[0] == '+') tok.remove_prefix(1);
    i_ = k;
    if (!is_float) {
      std::int64_t v = 0;
      auto [p, ec] = std::from_chars(tok.data(), tok.data() + tok.size(), v);
      if (ec == std::errc() && p == tok.data() + tok.size()) {
        out.value = scalar(v);
        return nullptr;
      }
      std::uint64_t u = 0;
      auto [p2, ec2] = std::from_chars(tok.data(), tok.data() + tok.size(), u);
      if (ec2 == std::errc() && p2 == tok.data() + tok.size()) {
        out.value = scalar(u);
        return nullptr;
      }
      // Beyond 64 bits: fall through to a double.
    }
    // strtod needs a terminated string; from_chars<double> is missing in some libstdc++ builds.
    const std::string copy(tok);
    char* end = nullptr;
    const double d = std::strtod(copy.c_str(), &end);
    if (end != copy.c_str() + copy.size())
      return unexpected(expr_error(errc::parse_error, "malformed number", s_, start));
    out.value = scalar(d);
    return nullptr;
  }

  std::string_view s_;
  std::size_t i_ = 0;
  int depth_ = 0;
};

/// Three-valued result: rows known true and rows known false (the rest are unknown).
struct tri_bits {
  bitmap t, f;
};

inline expected<tri_bits> eval_node(const filter_expression::node& n, const table& tab,
                                    std::string_view text) {
  using node = filter_expression::node;
  switch (n.k) {
  case node::kind::logical_not: {
    auto x = eval_node(*n.a, tab, text);
    if (!x) return x;
    return tri_bits{std::move(x->f), std::move(x->t)};
  }
  case node::kind::logical_and:
  case node::kind::logical_or: {
    auto x = eval_node(*n.a, tab, text);
    if (!x) return x;
    auto y = eval_node(*n.b, tab, text);
    if (!y) return y;
    if (n.k == node::kind::logical_and) {
      x->t &= y->t;
      x->f |= y->f;
    } else {
      x->t |= y->t;
      x->f &= y->f;
    }
    return x;
  }
  case node::kind::compare:
    break;
  }
  const column* a = tab.find(n.lhs.name);
  if (!a)
    return unexpected(
        expr_error(errc::not_found, "no column named '" + n.lhs.name + "'", text, n.lhs.pos));
  expected<bitmap> r = bitmap();
  bitmap known;
  if (n.rhs.is_column) {
    const column* b = tab.find(n.rhs.name);
    if (!b)
      return unexpected(
          expr_error(errc::not_found, "no column named '" + n.rhs.name + "'", text, n.rhs.pos));
    if (is_numeric(a->id()) && is_numeric(b->id()) && !(a->type() == b->type())) {
      // Mixed numeric columns compare as float64 (exact below 2^53).
      auto ca = try_cast(*a, type_id::float64, cast_policy::saturate);
      auto cb = try_cast(*b, type_id::float64, cast_policy::saturate);
      if (!ca || !cb)
        return unexpected(
            expr_error(errc::invalid_argument, "cannot compare these columns", text, n.pos));
      r = try_compare(*ca, n.op, *cb);
    } else {
      r = try_compare(*a, n.op, *b);
    }
    known = bitmap(a->size(), true);
    and_validity(known, a->validity());
    and_validity(known, b->validity());
  } else {
    r = try_compare(*a, n.op, n.rhs.value);
    known = bitmap(a->size(), !n.rhs.value.is_null());
    and_validity(known, a->validity());
  }
  if (!r) return unexpected(expr_error(r.error().code(), r.error().message(), text, n.pos));
  known ^= *r; // known & ~true (true implies known)
  return tri_bits{std::move(*r), std::move(known)};
}

inline std::string render(const filter_expression::node& n) {
  using node = filter_expression::node;
  const auto operand = [](const node::operand& o) {
    return o.is_column ? "\"" + o.name + "\"" : o.value.to_string();
  };
  switch (n.k) {
  case node::kind::logical_not:
    return "(NOT " + render(*n.a) + ")";
  case node::kind::logical_and:
    return "(" + render(*n.a) + " AND " + render(*n.b) + ")";
  case node::kind::logical_or:
    return "(" + render(*n.a) + " OR " + render(*n.b) + ")";
  case node::kind::compare:
    break;
  }
  return operand(n.lhs) + " " + std::string(tessera::to_string(n.op)) + " " + operand(n.rhs);
}

} // namespace detail

inline expected<filter_expression> filter_expression::parse(std::string_view text) {
  detail::expr_parser p(text);
  auto root = p.parse_all();
  if (!root) return unexpected(std::move(root.error()));
  return filter_expression(std::string(text), std::move(*root));
}

inline expected<bitmap> filter_expression::evaluate(const table& t) const {
  auto r = detail::eval_node(*root_, t, text_);
  if (!r) return unexpected(std::move(r.error()));
  return std::move(r->t);
}

inline std::string filter_expression::to_string() const {
  return detail::render(*root_);
}

/// The rows of `t` where `expression` is true (parse + evaluate + filter). Errors as
/// filter_expression::parse and evaluate.
[[nodiscard]] inline expected<table> try_where(const table& t, std::string_view expression) {
  auto e = filter_expression::parse(expression);
  if (!e) return unexpected(std::move(e.error()));
  auto sel = e->evaluate(t);
  if (!sel) return unexpected(std::move(sel.error()));
  return filter(t, *sel);
}
/// Throwing form of try_where.
[[nodiscard]] inline table where(const table& t, std::string_view expression) {
  return try_where(t, expression).value();
}

TESSERA_NAMESPACE_END
