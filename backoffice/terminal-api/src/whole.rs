//! Whole numbers as JSON Schema counts them: `175` and `175.0` are the same integer, so a
//! count sent as `175.0` is read, not refused.

use serde::Deserialize;
use serde::de::{Deserializer, Error, Unexpected};

/// A `u32` from a JSON integer or a number with no fractional part.
pub fn u32<'de, D: Deserializer<'de>>(d: D) -> Result<u32, D::Error> {
    let n = serde_json::Number::deserialize(d)?;
    if let Some(i) = n.as_u64() {
        return u32::try_from(i)
            .map_err(|_| Error::invalid_value(Unexpected::Unsigned(i), &"a count"));
    }
    match n.as_f64() {
        Some(f) if f.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(&f) => Ok(f as u32),
        Some(f) => Err(Error::invalid_value(
            Unexpected::Float(f),
            &"a whole number",
        )),
        None => Err(Error::custom("not a number")),
    }
}

#[cfg(test)]
mod tests {
    #[derive(serde::Deserialize)]
    struct Count {
        #[serde(deserialize_with = "super::u32")]
        n: u32,
    }

    #[test]
    fn integers_and_whole_floats_are_counts() {
        let read = |s: &str| serde_json::from_str::<Count>(s).map(|c| c.n).ok();
        assert_eq!(read(r#"{"n": 175}"#), Some(175));
        assert_eq!(read(r#"{"n": 175.0}"#), Some(175));
        assert_eq!(read(r#"{"n": 1.5}"#), None);
        assert_eq!(read(r#"{"n": -1}"#), None);
        assert_eq!(read(r#"{"n": "5"}"#), None);
    }
}
