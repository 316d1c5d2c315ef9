//! Naming conventions: snake_case and the default plural table name.

/// `SkillUser` -> `skill_user`, `HTTPRequest` -> `http_request`.
pub fn snake_case(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::with_capacity(name.len() + 4);
    for (i, &c) in chars.iter().enumerate() {
        if c.is_uppercase() {
            let prev_lower =
                i > 0 && (chars[i - 1].is_lowercase() || chars[i - 1].is_ascii_digit());
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_lowercase());
            if i > 0 && (prev_lower || (next_lower && chars[i - 1].is_uppercase())) {
                out.push('_');
            }
            out.extend(c.to_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// `user` -> `users`, `category` -> `categories`, `box` -> `boxes`.
pub fn plural(word: &str) -> String {
    let consonant_y = word.ends_with('y')
        && !word.ends_with("ay")
        && !word.ends_with("ey")
        && !word.ends_with("oy")
        && !word.ends_with("uy");
    if consonant_y {
        format!("{}ies", &word[..word.len() - 1])
    } else if ["s", "x", "z", "ch", "sh"]
        .iter()
        .any(|end| word.ends_with(end))
    {
        format!("{word}es")
    } else {
        format!("{word}s")
    }
}

/// Whether `name` is a plain SQL identifier: ASCII letters, digits and `_`, not starting with a
/// digit, at most 63 bytes (PostgreSQL's limit).
pub fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    name.len() <= 63
        && (first.is_ascii_alphabetic() || first == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_case_splits_words() {
        assert_eq!(snake_case("SkillUser"), "skill_user");
        assert_eq!(snake_case("User"), "user");
        assert_eq!(snake_case("HTTPRequest"), "http_request");
        assert_eq!(snake_case("UserHTTP"), "user_http");
        assert_eq!(snake_case("Oauth2Token"), "oauth2_token");
        assert_eq!(snake_case("already_snake"), "already_snake");
        assert_eq!(snake_case("A"), "a");
        assert_eq!(snake_case(""), "");
    }

    #[test]
    fn plural_of_table_names() {
        assert_eq!(plural("user"), "users");
        assert_eq!(plural("skill_user"), "skill_users");
        assert_eq!(plural("category"), "categories");
        assert_eq!(plural("key"), "keys");
        assert_eq!(plural("day"), "days");
        assert_eq!(plural("toy"), "toys");
        assert_eq!(plural("guy"), "guys");
        assert_eq!(plural("box"), "boxes");
        assert_eq!(plural("status"), "statuses");
        assert_eq!(plural("match"), "matches");
        assert_eq!(plural("wish"), "wishes");
    }

    #[test]
    fn default_table_is_plural_snake_case() {
        assert_eq!(plural(&snake_case("User")), "users");
        assert_eq!(plural(&snake_case("SkillCategory")), "skill_categories");
        assert_eq!(plural(&snake_case("HTTPRequest")), "http_requests");
    }

    #[test]
    fn identifiers() {
        assert!(is_identifier("skill_user"));
        assert!(is_identifier("_private"));
        assert!(is_identifier("a1"));
        assert!(is_identifier(&"a".repeat(63)));
        assert!(!is_identifier(&"a".repeat(64)));
        assert!(!is_identifier(""));
        assert!(!is_identifier("1abc"));
        assert!(!is_identifier("a b"));
        assert!(!is_identifier("a\"b"));
        assert!(!is_identifier("a-b"));
        assert!(!is_identifier("caf\u{e9}"));
    }
}
