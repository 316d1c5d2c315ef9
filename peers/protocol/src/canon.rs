//! The canonical text of a workload's result, and its checksum: what the driver compares
//! across contenders before it trusts their timings.

/// Canonical output lines, hashed with FNV-1a (64 bits) over each line and a `\n`.
///
/// ```
/// use orm_peer_protocol::Canon;
/// let mut canon = Canon::default();
/// canon.line(format!("u{}:s{}:{}:{}", 1, 11, "expert", 3));
/// assert_eq!(canon.lines(), 1);
/// assert_eq!(canon.checksum().len(), 16);
/// ```
#[derive(Debug, Clone)]
pub struct Canon {
    hash: u64,
    lines: usize,
}

impl Default for Canon {
    fn default() -> Self {
        Canon {
            hash: 0xcbf2_9ce4_8422_2325,
            lines: 0,
        }
    }
}

impl Canon {
    /// Adds one line (without its newline).
    pub fn line(&mut self, line: impl AsRef<str>) {
        for byte in line.as_ref().bytes().chain([b'\n']) {
            self.hash ^= u64::from(byte);
            self.hash = self.hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
        self.lines += 1;
    }

    /// How many lines were added.
    pub fn lines(&self) -> usize {
        self.lines
    }

    /// The hash as 16 hex digits.
    pub fn checksum(&self) -> String {
        format!("{:016x}", self.hash)
    }
}
