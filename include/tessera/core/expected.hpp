// tessera: expected<T, E>, a value or an error (C++20 has no std::expected).
//
// A subset of C++23's std::expected with the same names and semantics, so that code moves to
// the standard type by changing one alias: has_value, value, error, operator*, operator->,
// value_or, and_then, transform, or_else, transform_error. value() on an error throws
// tessera::exception when E is tessera::error, bad_expected_access<E> otherwise.
#pragma once

#include <tessera/config.hpp>
#include <tessera/core/error.hpp>

#include <exception>
#include <functional>
#include <optional>
#include <type_traits>
#include <utility>
#include <variant>

TESSERA_NAMESPACE_BEGIN

/// Thrown by expected<T, E>::value() when it holds an error and E is not tessera::error.
template <class E>
class bad_expected_access : public std::exception {
public:
  explicit bad_expected_access(E e) : error_(std::move(e)) {}
  [[nodiscard]] const char* what() const noexcept override { return "bad expected access"; }
  [[nodiscard]] const E& error() const noexcept { return error_; }

private:
  E error_;
};

/// Wraps an error value so that it converts to any expected<T, E>.
template <class E>
class unexpected {
public:
  constexpr explicit unexpected(E e) : error_(std::move(e)) {}
  [[nodiscard]] constexpr const E& error() const& noexcept { return error_; }
  [[nodiscard]] constexpr E& error() & noexcept { return error_; }
  [[nodiscard]] constexpr E&& error() && noexcept { return std::move(error_); }

private:
  E error_;
};
template <class E>
unexpected(E) -> unexpected<E>;

namespace detail {
template <class E>
[[noreturn]] void throw_expected_error(E&& e) {
  if constexpr (std::is_same_v<std::remove_cvref_t<E>, error>) {
    throw exception(std::forward<E>(e));
  } else {
    throw bad_expected_access<std::remove_cvref_t<E>>(std::forward<E>(e));
  }
}
template <class T>
struct is_expected : std::false_type {};
} // namespace detail

/// A value of type T, or an error of type E.
template <class T, class E = error>
class expected {
  static_assert(!std::is_reference_v<T> && !std::is_same_v<std::remove_cv_t<T>, std::in_place_t>,
                "expected<T, E>: T must be an object type");

public:
  using value_type = T;
  using error_type = E;

  constexpr expected() requires std::is_default_constructible_v<T>
      : storage_(std::in_place_index<0>) {}
  template <class U = T>
  requires(std::is_constructible_v<T, U&&> && !std::is_same_v<std::remove_cvref_t<U>, expected> &&
           !std::is_same_v<std::remove_cvref_t<U>, std::in_place_t>) constexpr expected(U&& v)
      : storage_(std::in_place_index<0>, std::forward<U>(v)) {}
  template <class G>
  requires std::is_constructible_v<E, const G&>
  constexpr expected(const unexpected<G>& u) : storage_(std::in_place_index<1>, u.error()) {}
  template <class G>
  requires std::is_constructible_v<E, G&&>
  constexpr expected(unexpected<G>&& u) : storage_(std::in_place_index<1>, std::move(u).error()) {}
  template <class... Args>
  constexpr explicit expected(std::in_place_t, Args&&... args)
      : storage_(std::in_place_index<0>, std::forward<Args>(args)...) {}

  [[nodiscard]] constexpr bool has_value() const noexcept { return storage_.index() == 0; }
  constexpr explicit operator bool() const noexcept { return has_value(); }

  constexpr T& value() & {
    if (!has_value()) detail::throw_expected_error(error());
    return *std::get_if<0>(&storage_);
  }
  constexpr const T& value() const& {
    if (!has_value()) detail::throw_expected_error(error());
    return *std::get_if<0>(&storage_);
  }
  constexpr T&& value() && {
    if (!has_value()) detail::throw_expected_error(std::move(error()));
    return std::move(*std::get_if<0>(&storage_));
  }

  /// Precondition: !has_value().
  constexpr E& error() & noexcept { return *std::get_if<1>(&storage_); }
  constexpr const E& error() const& noexcept { return *std::get_if<1>(&storage_); }
  constexpr E&& error() && noexcept { return std::move(*std::get_if<1>(&storage_)); }

  /// Precondition: has_value().
  constexpr T& operator*() & noexcept { return *std::get_if<0>(&storage_); }
  constexpr const T& operator*() const& noexcept { return *std::get_if<0>(&storage_); }
  constexpr T&& operator*() && noexcept { return std::move(*std::get_if<0>(&storage_)); }
  constexpr T* operator->() noexcept { return std::get_if<0>(&storage_); }
  constexpr const T* operator->() const noexcept { return std::get_if<0>(&storage_); }

  template <class U>
  constexpr T value_or(U&& fallback) const& {
    return has_value() ? **this : static_cast<T>(std::forward<U>(fallback));
  }
  template <class U>
  constexpr T value_or(U&& fallback) && {
    return has_value() ? std::move(**this) : static_cast<T>(std::forward<U>(fallback));
  }

  /// f(T) -> expected<U, E>; an error passes through.
  template <class F>
  constexpr auto and_then(F&& f) & {
    return and_then_impl(*this, std::forward<F>(f));
  }
  template <class F>
  constexpr auto and_then(F&& f) const& {
    return and_then_impl(*this, std::forward<F>(f));
  }
  template <class F>
  constexpr auto and_then(F&& f) && {
    return and_then_impl(std::move(*this), std::forward<F>(f));
  }

  /// f(T) -> U gives expected<U, E>; an error passes through.
  template <class F>
  constexpr auto transform(F&& f) & {
    return transform_impl(*this, std::forward<F>(f));
  }
  template <class F>
  constexpr auto transform(F&& f) const& {
    return transform_impl(*this, std::forward<F>(f));
  }
  template <class F>
  constexpr auto transform(F&& f) && {
    return transform_impl(std::move(*this), std::forward<F>(f));
  }

  /// f(E) -> expected<T, G>; a value passes through.
  template <class F>
  constexpr auto or_else(F&& f) const& {
    using R = std::remove_cvref_t<std::invoke_result_t<F, const E&>>;
    return has_value() ? R(**this) : std::invoke(std::forward<F>(f), error());
  }
  /// f(E) -> G gives expected<T, G>; a value passes through.
  template <class F>
  constexpr auto transform_error(F&& f) const& {
    using G = std::remove_cvref_t<std::invoke_result_t<F, const E&>>;
    using R = expected<T, G>;
    return has_value() ? R(**this) : R(unexpected<G>(std::invoke(std::forward<F>(f), error())));
  }

private:
  template <class Self, class F>
  static constexpr auto and_then_impl(Self&& self, F&& f) {
    using R = std::remove_cvref_t<std::invoke_result_t<F, decltype(*std::forward<Self>(self))>>;
    static_assert(detail::is_expected<R>::value, "and_then: f must return an expected");
    if (self.has_value()) return std::invoke(std::forward<F>(f), *std::forward<Self>(self));
    return R(unexpected<E>(std::forward<Self>(self).error()));
  }
  template <class Self, class F>
  static constexpr auto transform_impl(Self&& self, F&& f) {
    using U = std::remove_cvref_t<std::invoke_result_t<F, decltype(*std::forward<Self>(self))>>;
    using R = expected<U, E>;
    if (!self.has_value()) return R(unexpected<E>(std::forward<Self>(self).error()));
    if constexpr (std::is_void_v<U>) {
      std::invoke(std::forward<F>(f), *std::forward<Self>(self));
      return R();
    } else {
      return R(std::invoke(std::forward<F>(f), *std::forward<Self>(self)));
    }
  }

  std::variant<T, E> storage_;
};

/// Success without a value, or an error.
template <class E>
class expected<void, E> {
public:
  using value_type = void;
  using error_type = E;

  constexpr expected() noexcept = default;
  template <class G>
  constexpr expected(const unexpected<G>& u) : error_(std::in_place, u.error()) {}
  template <class G>
  constexpr expected(unexpected<G>&& u) : error_(std::in_place, std::move(u).error()) {}

  [[nodiscard]] constexpr bool has_value() const noexcept { return !error_.has_value(); }
  constexpr explicit operator bool() const noexcept { return has_value(); }
  constexpr void value() const& {
    if (!has_value()) detail::throw_expected_error(*error_);
  }
  constexpr void value() && {
    if (!has_value()) detail::throw_expected_error(std::move(*error_));
  }
  constexpr void operator*() const noexcept {}
  constexpr E& error() & noexcept { return *error_; }
  constexpr const E& error() const& noexcept { return *error_; }
  constexpr E&& error() && noexcept { return std::move(*error_); }

  template <class F>
  constexpr auto and_then(F&& f) const& {
    using R = std::remove_cvref_t<std::invoke_result_t<F>>;
    static_assert(detail::is_expected<R>::value, "and_then: f must return an expected");
    if (has_value()) return std::invoke(std::forward<F>(f));
    return R(unexpected<E>(*error_));
  }
  template <class F>
  constexpr auto transform(F&& f) const& {
    using U = std::remove_cvref_t<std::invoke_result_t<F>>;
    using R = expected<U, E>;
    if (!has_value()) return R(unexpected<E>(*error_));
    if constexpr (std::is_void_v<U>) {
      std::invoke(std::forward<F>(f));
      return R();
    } else {
      return R(std::invoke(std::forward<F>(f)));
    }
  }

private:
  std::optional<E> error_;
};

namespace detail {
template <class T, class E>
struct is_expected<expected<T, E>> : std::true_type {};
} // namespace detail

/// Shorthand for `unexpected<error>(error(code, message, where))`.
[[nodiscard]] inline unexpected<error> make_error(errc code, std::string message,
                                                  location where = {}) {
  return unexpected<error>(error(code, std::move(message), std::move(where)));
}

TESSERA_NAMESPACE_END
