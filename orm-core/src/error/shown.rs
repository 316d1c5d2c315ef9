//! Input echoed in error messages, bounded and escaped: a 100 KB identifier or a raw NUL byte
//! must not end up verbatim in a log line.

use std::fmt::{self, Write};

/// At most this many characters of a name or value are shown.
const MAX_SHOWN: usize = 64;

/// `text` for an error message: control characters and other characters that do not print
/// escaped as Rust's `{:?}` does (`\0`, `\n`, `\u{202e}`) but without surrounding quotes and
/// leaving `\`, `'` and `"` as they are; at most 64 characters, then `... (N bytes)` giving the
/// input's full length when it was cut.
pub(crate) fn shown(text: &str) -> Shown<'_> {
    shown_at_most(text, MAX_SHOWN)
}

/// [`shown`] with a bound of `max` characters, for text that lists several values.
pub(crate) fn shown_at_most(text: &str, max: usize) -> Shown<'_> {
    Shown { text, max }
}

/// The display of [`shown`].
pub(crate) struct Shown<'a> {
    text: &'a str,
    max: usize,
}

impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut width = 0;
        let mut escaped = String::new();
        for c in self.text.chars() {
            escaped.clear();
            if matches!(c, '\\' | '\'' | '"') {
                escaped.push(c);
            } else {
                // Control characters, and characters that print as nothing or turn the text
                // around them (bidirectional overrides).
                write!(escaped, "{}", c.escape_debug())?;
            }
            let len = escaped.chars().count();
            if width + len > self.max {
                return write!(f, "... ({} bytes)", self.text.len());
            }
            width += len;
            f.write_str(&escaped)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::{shown, shown_at_most};

    #[test]
    fn short_text_is_shown_whole() {
        assert_eq!(shown("user_name").to_string(), "user_name");
        assert_eq!(
            shown(r#"it's "quoted" \ "#).to_string(),
            r#"it's "quoted" \ "#
        );
        assert_eq!(shown("").to_string(), "");
    }

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(shown("a\0b").to_string(), r"a\0b");
        assert_eq!(shown("a\nb\tc\r").to_string(), r"a\nb\tc\r");
        assert_eq!(shown("\u{1b}[31m").to_string(), r"\u{1b}[31m");
        assert_eq!(shown("ab\u{202e}cd").to_string(), r"ab\u{202e}cd");
    }

    #[test]
    fn long_text_is_cut_with_its_length() {
        let long = "a".repeat(100_000);
        let text = shown(&long).to_string();
        assert_eq!(text, format!("{}... (100000 bytes)", "a".repeat(64)));

        let exact = "b".repeat(64);
        assert_eq!(shown(&exact).to_string(), exact, "64 characters fit");
        assert_eq!(shown_at_most(&long, 3).to_string(), "aaa... (100000 bytes)");

        // Escapes count toward the bound, so an input of control characters stays short too.
        let nuls = "\0".repeat(10_000);
        let text = shown(&nuls).to_string();
        assert!(text.len() <= 64 + 20, "{text}");
        assert!(text.ends_with("... (10000 bytes)"), "{text}");
        assert!(!text.contains('\0'));

        // Multi-byte characters are never split.
        let wide = "é".repeat(100);
        assert_eq!(
            shown(&wide).to_string(),
            format!("{}... (200 bytes)", "é".repeat(64))
        );
    }
}
