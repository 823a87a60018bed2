// tessera: concepts for the element types every module is generic over.
//
// vertex_id, edge_offset and weight constrain the graph containers and algorithms;
// column_value constrains the fixed-width columns and their kernels.
#pragma once

#include <tessera/config.hpp>

#include <concepts>
#include <type_traits>

TESSERA_NAMESPACE_BEGIN

/// An integer type that can number vertices: any integral type but bool and the character types.
/// Signed types are allowed (as in many file formats); negative ids are rejected by builders.
template <class T>
concept vertex_id =
    std::integral<T> && !std::same_as<std::remove_cv_t<T>, bool> &&
    !std::same_as<std::remove_cv_t<T>, char> && !std::same_as<std::remove_cv_t<T>, wchar_t> &&
    !std::same_as<std::remove_cv_t<T>, char8_t> && !std::same_as<std::remove_cv_t<T>, char16_t> &&
    !std::same_as<std::remove_cv_t<T>, char32_t>;

/// An integer type that can index edges in a compressed offsets array. Same rules as vertex_id;
/// often wider (32-bit ids with 64-bit offsets hold more than 2^32 edges).
template <class T>
concept edge_offset = vertex_id<T>;

/// An edge weight: any arithmetic type but bool. `void` (no weight) is handled by the containers.
template <class T>
concept weight = std::is_arithmetic_v<T> && !std::same_as<std::remove_cv_t<T>, bool>;

/// A weight type or `void`, the template argument of weighted-or-not containers.
template <class T>
concept weight_or_void = weight<T> || std::is_void_v<T>;

/// A fixed-width value a column can hold: the arithmetic types (bool stored bit-packed).
template <class T>
concept column_value = std::is_arithmetic_v<T> && std::same_as<T, std::remove_cv_t<T>>;

TESSERA_NAMESPACE_END
