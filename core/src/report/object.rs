//! The report documents' JSON objects, built from their fields in order (issue 18: the
//! library's size).
//!
//! `serde_json::json!` writes out, for every field, a key `String`, a `to_value` call with
//! its `unwrap`, and an insert whose old value is dropped: about 100 bytes of code a field,
//! in documents of dozens of fields (`state`, `export`, its receipts, the decision log).
//! Here each field is a key and a `Value` built by `From`, and one function inserts them.
//! The document is the same: the keys in the order written, the values as `json!` gives
//! them (`None` is `null`).

use serde_json::{Map, Value};

/// The JSON object of `fields`, keys in the order given. Each value is taken out of
/// `fields` (leaving `null` behind).
pub(crate) fn object(fields: &mut [(&'static str, Value)]) -> Value {
    let mut map = Map::with_capacity(fields.len());
    for (key, value) in fields.iter_mut() {
        map.insert((*key).to_owned(), std::mem::take(value));
    }
    Value::Object(map)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_same_document_as_json_gives() {
        let (name, none, n): (String, Option<String>, u64) = ("a".to_owned(), None, 7);
        let built = object(&mut [
            ("z", name.clone().into()),
            ("a", none.clone().into()),
            ("n", n.into()),
            ("inner", object(&mut [("t", true.into())])),
        ]);
        let expected = json!({"z": name, "a": none, "n": n, "inner": {"t": true}});
        assert_eq!(built, expected);
        assert_eq!(built.to_string(), expected.to_string());
        assert_eq!(built.to_string(), r#"{"z":"a","a":null,"n":7,"inner":{"t":true}}"#);
    }
}
