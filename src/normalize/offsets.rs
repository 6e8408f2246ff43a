//! A compact list of raw byte offsets, one per folded character.
//!
//! A document's fold holds one offset per character; as a plain `Vec<u32>` that is 4 bytes a
//! character, as much as the characters themselves. Offsets grow by a few bytes per character,
//! so [`Offsets`] keeps an absolute `u32` every [`BLOCK`] characters and one byte per character:
//! the distance from its block's first offset. A distance that does not fit (a long run of
//! dropped white space, a long combining cluster, an offset before its block's first) goes to an
//! exception list, so any sequence is kept exactly: about 1.25 bytes a character in the usual case
//! and never more than 13 in the worst.

/// Characters per block: one absolute offset per block.
const BLOCK: usize = 16;
/// Bytes per full block in `bytes`: the base (4, little-endian) and a delta per character.
const STRIDE: usize = 4 + BLOCK;
/// The delta byte marking an exception (its offset is in `exceptions`).
const EXCEPTION: u8 = u8::MAX;

/// Raw byte offsets, one per folded character, stored compactly (see the module doc).
///
/// 32 bytes inline (every unit of a document holds one, most of them empty once folds are
/// released): blocks in one byte vector, exceptions boxed, allocated only when there are some.
#[derive(Debug, Clone, Default)]
pub struct Offsets {
    /// Per block of [`BLOCK`] characters: its first offset (4 bytes, little-endian), then one
    /// byte per character: its offset minus the block's first, or [`EXCEPTION`]. The last block
    /// may be partial; a block is never written without its first character.
    bytes: Vec<u8>,
    /// `(index, offset)` of the characters whose delta did not fit, by index (pushed in order).
    /// Boxed on purpose: 8 bytes inline instead of 24 for a list nearly always absent.
    #[allow(clippy::box_collection)]
    exceptions: Option<Box<Vec<(u32, u32)>>>,
}

/// Bytes of `bytes` holding `n` offsets.
fn bytes_for(n: usize) -> usize {
    let rem = n % BLOCK;
    n / BLOCK * STRIDE + if rem > 0 { 4 + rem } else { 0 }
}

impl Offsets {
    /// An empty list.
    pub fn new() -> Self {
        Self::default()
    }

    /// Number of offsets.
    #[inline]
    pub fn len(&self) -> usize {
        let n = self.bytes.len();
        n / STRIDE * BLOCK + (n % STRIDE).saturating_sub(4)
    }

    /// No offsets.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    #[inline]
    fn base(&self, block_start: usize) -> u32 {
        let b = &self.bytes[block_start..block_start + 4];
        u32::from_le_bytes([b[0], b[1], b[2], b[3]])
    }

    /// The offset of character `i`, if there is one.
    #[inline]
    pub fn get(&self, i: usize) -> Option<u32> {
        let block = i / BLOCK * STRIDE;
        let d = *self.bytes.get(block + 4 + i % BLOCK)?;
        if d == EXCEPTION {
            return self.exception(i);
        }
        Some(self.base(block) + d as u32)
    }

    fn exception(&self, i: usize) -> Option<u32> {
        let e = self.exceptions.as_deref()?;
        let k = e.binary_search_by_key(&(i as u32), |&(j, _)| j).ok()?;
        Some(e[k].1)
    }

    /// The last offset.
    pub fn last(&self) -> Option<u32> {
        self.get(self.len().checked_sub(1)?)
    }

    /// Append an offset.
    #[inline]
    pub fn push(&mut self, off: u32) {
        let rem = self.bytes.len() % STRIDE;
        if rem == 0 {
            self.bytes.extend_from_slice(&off.to_le_bytes());
            self.bytes.push(0);
            return;
        }
        let base = self.base(self.bytes.len() - rem);
        match off.checked_sub(base) {
            Some(d) if d < EXCEPTION as u32 => self.bytes.push(d as u8),
            _ => self.push_exception(off),
        }
    }

    #[cold]
    fn push_exception(&mut self, off: u32) {
        let i = self.len() as u32;
        self.bytes.push(EXCEPTION);
        self.exceptions.get_or_insert_default().push((i, off));
    }

    /// Append all offsets of `other`.
    pub fn extend_from(&mut self, other: &Offsets) {
        let mut a = Appender::new(std::mem::take(self));
        for o in other.iter() {
            a.push(o);
        }
        *self = a.finish();
    }

    /// Room for `n` more offsets, without the slack of doubling growth.
    pub fn reserve_exact(&mut self, n: usize) {
        let want = bytes_for(self.len() + n);
        self.bytes
            .reserve_exact(want.saturating_sub(self.bytes.len()));
    }

    /// Keep only the first `len` offsets.
    pub fn truncate(&mut self, len: usize) {
        if len >= self.len() {
            return;
        }
        self.bytes.truncate(bytes_for(len));
        if let Some(e) = self.exceptions.as_deref_mut() {
            let keep = e.partition_point(|&(j, _)| (j as usize) < len);
            e.truncate(keep);
            if e.is_empty() {
                self.exceptions = None;
            }
        }
    }

    /// The offsets in order.
    pub fn iter(&self) -> impl Iterator<Item = u32> + '_ {
        let mut exc = self.exceptions.as_deref().into_iter().flatten();
        (0..self.len()).map(move |i| {
            let block = i / BLOCK * STRIDE;
            let d = self.bytes[block + 4 + i % BLOCK];
            if d == EXCEPTION {
                // Exceptions are met in index order.
                exc.next().map_or(0, |&(_, o)| o)
            } else {
                self.base(block) + d as u32
            }
        })
    }

    /// The first index whose offset fails `pred`, assuming `pred` holds on a prefix (as
    /// [`slice::partition_point`]).
    pub fn partition_point(&self, mut pred: impl FnMut(u32) -> bool) -> usize {
        let (mut lo, mut hi) = (0, self.len());
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if self.get(mid).is_some_and(&mut pred) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        lo
    }

    /// Heap bytes held (capacity, not length).
    pub fn heap_bytes(&self) -> usize {
        self.bytes.capacity()
            + self
                .exceptions
                .as_deref()
                .map_or(0, |e| 24 + e.capacity() * 8)
    }
}

/// Appends to an [`Offsets`] faster than [`Offsets::push`]: the current block's base and fill
/// are kept here rather than read back from the bytes on every push (the fold's hot loop).
#[derive(Debug)]
pub struct Appender {
    o: Offsets,
    base: u32,
    fill: usize,
}

impl Appender {
    /// Append to `o` (taken; [`Appender::finish`] gives it back).
    pub fn new(o: Offsets) -> Self {
        let rem = o.bytes.len() % STRIDE;
        let (base, fill) = match rem {
            0 => (0, BLOCK),
            _ => (o.base(o.bytes.len() - rem), rem - 4),
        };
        Appender { o, base, fill }
    }

    /// Offsets appended so far, with those there before.
    #[inline]
    pub fn len(&self) -> usize {
        self.o.len()
    }

    /// Nothing at all.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.o.is_empty()
    }

    /// Append an offset, as [`Offsets::push`].
    #[inline(always)]
    pub fn push(&mut self, off: u32) {
        if self.fill == BLOCK {
            self.o.bytes.extend_from_slice(&off.to_le_bytes());
            self.o.bytes.push(0);
            self.base = off;
            self.fill = 1;
            return;
        }
        self.fill += 1;
        match off.checked_sub(self.base) {
            Some(d) if d < EXCEPTION as u32 => self.o.bytes.push(d as u8),
            _ => self.o.push_exception(off),
        }
    }

    /// The offsets.
    pub fn finish(self) -> Offsets {
        self.o
    }
}

impl PartialEq for Offsets {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl Eq for Offsets {}

impl From<Vec<u32>> for Offsets {
    fn from(v: Vec<u32>) -> Self {
        v.as_slice().into()
    }
}

impl From<&[u32]> for Offsets {
    fn from(v: &[u32]) -> Self {
        let mut o = Offsets::new();
        o.reserve_exact(v.len());
        for &x in v {
            o.push(x);
        }
        o
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_steps_take_a_byte_each() {
        let v: Vec<u32> = (0..1000).map(|i| 7 + 3 * i).collect();
        let o = Offsets::from(v.clone());
        assert!(o.exceptions.is_none());
        assert_eq!(o.heap_bytes(), 1000 / 16 * 20 + 4 + 1000 % 16);
        assert_eq!(o.iter().collect::<Vec<_>>(), v);
        assert_eq!(o.get(999), Some(7 + 3 * 999));
        assert_eq!(o.get(1000), None);
        assert_eq!(o.last(), Some(7 + 3 * 999));
    }

    #[test]
    fn large_gaps_and_decreases_go_to_exceptions() {
        let v = vec![5, 6, 300, 301, 4, 70_000, u32::MAX, 0];
        let o = Offsets::from(v.clone());
        assert_eq!(o.exceptions.as_deref().map(Vec::len), Some(6));
        for (i, &x) in v.iter().enumerate() {
            assert_eq!(o.get(i), Some(x));
        }
        assert_eq!(o.iter().collect::<Vec<_>>(), v);
    }

    #[test]
    fn truncate_is_as_if_never_pushed() {
        let v: Vec<u32> = (0..100).map(|i| i * i).collect();
        let mut o = Offsets::from(v.clone());
        o.truncate(37);
        assert_eq!(o, Offsets::from(&v[..37]));
        assert_eq!(o.bytes.len(), 2 * 20 + 4 + 5);
        o.push(1);
        assert_eq!(o.last(), Some(1));
        assert_eq!(o.len(), 38);
    }

    #[test]
    fn partition_point_matches_slice() {
        let v = vec![0, 0, 3, 3, 3, 9, 400, 401, 1000];
        let o = Offsets::from(v.clone());
        for t in 0..1100 {
            assert_eq!(o.partition_point(|x| x < t), v.partition_point(|&x| x < t));
        }
    }

    #[test]
    fn small_inline() {
        assert_eq!(std::mem::size_of::<Offsets>(), 32);
    }

    #[test]
    fn empty() {
        let o = Offsets::new();
        assert!(o.is_empty());
        assert_eq!(o.last(), None);
        assert_eq!(o.get(0), None);
        assert_eq!(o.partition_point(|_| true), 0);
    }

    proptest::proptest! {
        /// Any non-decreasing sequence (small steps and big jumps mixed) comes back exactly,
        /// by index, by iteration, by last, and after a truncate and more pushes.
        #[test]
        fn any_non_decreasing_sequence_is_kept(
            steps in proptest::collection::vec(
                proptest::prop_oneof![0u32..8, 0u32..300, 0u32..100_000], 0..200),
            cut in 0usize..200,
        ) {
            let mut v = Vec::with_capacity(steps.len());
            let mut at = 0u32;
            for s in steps {
                at = at.saturating_add(s);
                v.push(at);
            }
            let o = Offsets::from(v.clone());
            proptest::prop_assert_eq!(o.len(), v.len());
            proptest::prop_assert_eq!(o.iter().collect::<Vec<_>>(), v.clone());
            for (i, &x) in v.iter().enumerate() {
                proptest::prop_assert_eq!(o.get(i), Some(x));
            }
            proptest::prop_assert_eq!(o.last(), v.last().copied());
            let cut = cut.min(v.len());
            // The appender, taking over part way, builds the same bytes as push.
            let mut a = Appender::new(Offsets::from(&v[..cut]));
            for &x in &v[cut..] {
                a.push(x);
            }
            let a = a.finish();
            proptest::prop_assert_eq!(&a.bytes, &o.bytes);
            proptest::prop_assert_eq!(&a.exceptions, &o.exceptions);
            let mut t = o.clone();
            t.truncate(cut);
            t.push(at);
            let mut w = v[..cut].to_vec();
            w.push(at);
            proptest::prop_assert_eq!(t.iter().collect::<Vec<_>>(), w);
        }

        /// Arbitrary (not sorted) sequences are kept too: decreases become exceptions.
        #[test]
        fn any_sequence_is_kept(v in proptest::collection::vec(proptest::num::u32::ANY, 0..100)) {
            let o = Offsets::from(v.clone());
            proptest::prop_assert_eq!(o.iter().collect::<Vec<_>>(), v.clone());
            for (i, &x) in v.iter().enumerate() {
                proptest::prop_assert_eq!(o.get(i), Some(x));
            }
        }
    }
}
