//! A small JSON-like value tree for the JavaScript boundary, with hand-written readers and writers.
//!
//! The bindings copy a JS value into a [`Value`] with one non-generic function, read it into an
//! input type through its hand-written [`FromValue`] impl, and write results through
//! [`ToValue`] into a [`Value`] that one non-generic function turns into a JS object. Keeping
//! every JS call out of generic code, and keeping messages free of float formatting, is most of
//! what makes the wasm small (serde-wasm-bindgen cost about 21 KB gzipped). The serde derives
//! stay for native use (tests, golden files); a test checks that each `ToValue` gives the same
//! tree as the type's `Serialize` ([`serialized`]). The tree itself is pure, so it is tested
//! natively.
//!
//! Semantics match the JSON the shell sends: a key whose value is `undefined` is absent (the
//! bindings drop it), `null` reads as `None`, and every key of an object is checked against the
//! fields of the type it is read into, so a typo is refused, and named, at any depth.

use std::fmt;

use serde::de;
use serde::ser::{self, Serialize};

use crate::error::{show_number, Kind, PresenceError};

/// A JSON value, with object keys in their original order.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// `null` (and `undefined` outside an object).
    Null,
    Bool(bool),
    Num(f64),
    Str(String),
    Arr(Vec<Value>),
    Obj(Vec<(String, Value)>),
    /// Anything JSON has no form for (a function, a symbol, a bigint, a value nested too deep),
    /// described for messages.
    Other(&'static str),
}

/// A type written as a [`Value`] by hand (what the bindings return to JS). Its `Serialize`
/// derive, used natively and in the golden files, must give the same tree; the tests compare
/// the two with [`serialized`].
pub trait ToValue {
    /// The JSON form of `self`.
    fn to_value(&self) -> Value;
}

/// An object being written, one call per field (in order): smaller at each site than an array
/// of `(key, Value)` pairs.
pub(crate) struct Out(Vec<(String, Value)>);

impl Out {
    pub(crate) fn new() -> Self {
        Self(Vec::new())
    }

    #[inline(never)]
    pub(crate) fn put(&mut self, key: &str, v: Value) -> &mut Self {
        self.0.push((key.to_owned(), v));
        self
    }

    /// A field left out when it is `null`
    /// (`#[serde(skip_serializing_if = "Option::is_none")]` on an `Option` field).
    #[inline(never)]
    pub(crate) fn sparse(&mut self, key: &str, v: Value) -> &mut Self {
        if !matches!(v, Value::Null) {
            self.put(key, v);
        }
        self
    }

    #[inline(never)]
    pub(crate) fn text(&mut self, key: &str, s: &str) -> &mut Self {
        self.put(key, Value::Str(s.to_owned()))
    }

    #[inline(never)]
    pub(crate) fn num(&mut self, key: &str, x: f64) -> &mut Self {
        self.put(key, Value::Num(x))
    }

    #[inline(never)]
    pub(crate) fn done(&mut self) -> Value {
        Value::Obj(std::mem::take(&mut self.0))
    }
}

/// The shape of a field read through [`pass`].
pub(crate) enum Shape {
    Str,
    Bool,
    /// An object with these fields, in this order.
    Obj(&'static [(&'static str, Shape)]),
}

/// Reads `v` as `shape` and gives it back normalised: an object's fields in the schema's order,
/// absent ones as `null`, unknown ones dropped; strings and booleans as they are; `null` as it
/// is. The same tree (and the same refusals) as reading a struct of `Option` fields with
/// [`Obj::lenient`] and [`Obj::opt`] and writing each field back with [`Out::put`], in one
/// function for every such struct.
pub(crate) fn pass(v: &Value, shape: &Shape) -> Result<Value, PresenceError> {
    match (shape, v) {
        (_, Value::Null) | (Shape::Str, Value::Str(_)) | (Shape::Bool, Value::Bool(_)) => Ok(v.clone()),
        (Shape::Str, _) => Err(type_error(v, "a string")),
        (Shape::Bool, _) => Err(type_error(v, "a boolean")),
        (Shape::Obj(fields), _) => {
            let o = Obj::lenient(v)?;
            let mut out = Out::new();
            for (key, shape) in *fields {
                let field = match o.get(key) {
                    Some(v) => pass(v, shape).map_err(|e| within(e, key))?,
                    None => Value::Null,
                };
                out.put(key, field);
            }
            Ok(out.done())
        }
    }
}

impl ToValue for Value {
    fn to_value(&self) -> Value {
        self.clone()
    }
}

/// Writes the tree as it is (objects as maps, in their order); for the `Serialize` derives of
/// types that hold a [`Value`].
impl Serialize for Value {
    fn serialize<S: ser::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use ser::{SerializeMap, SerializeSeq};
        match self {
            Value::Null => s.serialize_none(),
            Value::Bool(b) => s.serialize_bool(*b),
            Value::Num(x) => s.serialize_f64(*x),
            Value::Str(t) => s.serialize_str(t),
            Value::Arr(items) => {
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Value::Obj(entries) => {
                let mut map = s.serialize_map(Some(entries.len()))?;
                for (k, v) in entries {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
            Value::Other(what) => Err(ser::Error::custom(what)),
        }
    }
}

/// A unit variant, as its name.
pub fn name(s: &str) -> Value {
    Value::Str(s.to_owned())
}

impl ToValue for str {
    fn to_value(&self) -> Value {
        Value::Str(self.to_owned())
    }
}

impl ToValue for String {
    fn to_value(&self) -> Value {
        Value::Str(self.clone())
    }
}

impl ToValue for &str {
    fn to_value(&self) -> Value {
        Value::Str((*self).to_owned())
    }
}

impl ToValue for bool {
    fn to_value(&self) -> Value {
        Value::Bool(*self)
    }
}

impl ToValue for f64 {
    fn to_value(&self) -> Value {
        Value::Num(*self)
    }
}

impl ToValue for u16 {
    fn to_value(&self) -> Value {
        Value::Num((*self).into())
    }
}

impl ToValue for u32 {
    fn to_value(&self) -> Value {
        Value::Num((*self).into())
    }
}

impl ToValue for i64 {
    fn to_value(&self) -> Value {
        Value::Num(*self as f64)
    }
}

impl<T: ToValue> ToValue for Option<T> {
    fn to_value(&self) -> Value {
        match self {
            Some(v) => v.to_value(),
            None => Value::Null,
        }
    }
}

impl<T: ToValue> ToValue for Box<T> {
    fn to_value(&self) -> Value {
        (**self).to_value()
    }
}

impl<T: ToValue> ToValue for Vec<T> {
    fn to_value(&self) -> Value {
        let mut items = Vec::with_capacity(self.len());
        for item in self {
            items.push(item.to_value());
        }
        Value::Arr(items)
    }
}

/// A map of strings (HTTP headers, `messageExpiry`) as pairs in insertion order: the few keys
/// these maps hold do not pay for a `BTreeMap` (~13 KB of wasm with its sort).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StringMap(Vec<(String, String)>);

impl StringMap {
    /// An empty map.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets `key` to `value`, replacing an earlier value of the same key.
    pub fn insert(&mut self, key: String, value: String) {
        match self.0.iter_mut().find(|(k, _)| *k == key) {
            Some(entry) => entry.1 = value,
            None => self.0.push((key, value)),
        }
    }

    /// The value of `key` (exact match).
    pub fn get(&self, key: &str) -> Option<&String> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// Whether `key` is present (exact match).
    pub fn contains_key(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// The number of keys.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are no keys.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The keys, in insertion order.
    pub fn keys(&self) -> impl Iterator<Item = &String> {
        self.0.iter().map(|(k, _)| k)
    }

    /// The pairs, in insertion order.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &String)> {
        self.0.iter().map(|(k, v)| (k, v))
    }
}

impl FromIterator<(String, String)> for StringMap {
    fn from_iter<I: IntoIterator<Item = (String, String)>>(iter: I) -> Self {
        let mut map = Self::new();
        for (k, v) in iter {
            map.insert(k, v);
        }
        map
    }
}

impl Serialize for StringMap {
    fn serialize<S: ser::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use ser::SerializeMap;
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

impl ToValue for StringMap {
    fn to_value(&self) -> Value {
        let mut entries = Vec::with_capacity(self.0.len());
        for (k, v) in &self.0 {
            entries.push((k.clone(), Value::Str(v.clone())));
        }
        Value::Obj(entries)
    }
}

/// Writes `value` through its `Serialize` impl: structs and maps as objects, `None` and unit as
/// `null`. For tests: the [`ToValue`] of a type must equal this.
pub fn serialized<T: Serialize + ?Sized>(value: &T) -> Result<Value, PresenceError> {
    value.serialize(ValueSerializer).map_err(|e| {
        Kind::InvalidInput { field: None, message: format!("could not convert the result: {}", e.0) }.into()
    })
}

/// The error of reading or writing a [`Value`]: just the message.
#[derive(Debug)]
pub struct Error(String);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl ser::Error for Error {
    #[inline(never)]
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Self(msg.to_string())
    }
}

/// The largest integer a JS number holds exactly.
const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

/// A type read from a [`Value`] by hand. Each input struct lists its fields once, in an
/// [`Obj::strict`] call, and reads them with [`Obj::req`], [`Obj::opt`] and [`Obj::or_default`];
/// all messages are built by the non-generic functions below, so each reader is straight-line
/// code.
pub trait FromValue: Sized {
    /// Reads `v`, or says what was received and what is allowed.
    fn from_value(v: &Value) -> Result<Self, PresenceError>;
}

/// Reads `value` into `T` (the entry point of the bindings).
pub fn from_value<T: FromValue>(value: &Value) -> Result<T, PresenceError> {
    T::from_value(value)
}

/// What was received, in words (numbers through [`show_number`]: no float formatting ships).
fn describe(v: &Value) -> String {
    match v {
        Value::Null => "null".to_owned(),
        Value::Bool(b) => (if *b { "boolean true" } else { "boolean false" }).to_owned(),
        Value::Num(x) => format!("number {}", show_number(*x)),
        Value::Str(s) => format!("string \"{s}\""),
        Value::Arr(_) => "an array".to_owned(),
        Value::Obj(_) => "an object".to_owned(),
        Value::Other(what) => (*what).to_owned(),
    }
}

fn invalid(message: String) -> PresenceError {
    Kind::InvalidInput { field: None, message }.into()
}

/// `v` is not of the type `expected` describes.
#[inline(never)]
pub fn type_error(v: &Value, expected: &str) -> PresenceError {
    invalid(format!("invalid type: {}, expected {expected}", describe(v)))
}

/// A message about the value of `key`, prefixed with the key (`ours: before: invalid type: …`).
/// Errors that name a field (unknown, missing) keep that field.
#[inline(never)]
fn within(mut e: PresenceError, key: &str) -> PresenceError {
    if let Kind::InvalidInput { message, .. } = e.kind_mut() {
        *message = format!("{key}: {message}");
    }
    e
}

/// The backquoted list serde uses in its messages: `` `a`, `b` ``.
fn one_of(names: &[&str]) -> String {
    let mut out = String::new();
    for (i, n) in names.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push('`');
        out.push_str(n);
        out.push('`');
    }
    out
}

/// The index of the string `v` in `names`, or an error listing them.
#[inline(never)]
pub fn variant_index(v: &Value, names: &[&str]) -> Result<usize, PresenceError> {
    match v {
        Value::Str(s) => names
            .iter()
            .position(|n| n == s)
            .ok_or_else(|| invalid(format!("unknown variant `{s}`, expected one of {}", one_of(names)))),
        _ => Err(type_error(v, "a string")),
    }
}

/// A unit enum read from its name: `values[i]` is the variant named `names[i]`.
pub fn pick<T: Copy>(v: &Value, names: &[&str], values: &[T]) -> Result<T, PresenceError> {
    let i = variant_index(v, names)?;
    values.get(i).copied().ok_or_else(|| type_error(v, "a known variant"))
}

/// An integral number in `min..=max`.
#[inline(never)]
fn integer(v: &Value, min: f64, max: f64, expected: &str) -> Result<f64, PresenceError> {
    match v {
        Value::Num(x) if x.fract() == 0.0 && (min..=max).contains(x) => Ok(*x),
        Value::Num(x) if x.fract() == 0.0 => {
            Err(invalid(format!("invalid value: {}, expected {expected}", describe(v))))
        }
        _ => Err(type_error(v, expected)),
    }
}

impl FromValue for String {
    fn from_value(v: &Value) -> Result<Self, PresenceError> {
        match v {
            Value::Str(s) => Ok(s.clone()),
            _ => Err(type_error(v, "a string")),
        }
    }
}

impl FromValue for bool {
    fn from_value(v: &Value) -> Result<Self, PresenceError> {
        match v {
            Value::Bool(b) => Ok(*b),
            _ => Err(type_error(v, "a boolean")),
        }
    }
}

impl FromValue for f64 {
    fn from_value(v: &Value) -> Result<Self, PresenceError> {
        match v {
            Value::Num(x) => Ok(*x),
            _ => Err(type_error(v, "a number")),
        }
    }
}

impl FromValue for u16 {
    fn from_value(v: &Value) -> Result<Self, PresenceError> {
        integer(v, 0.0, 65_535.0, "an integer from 0 to 65535").map(|x| x as u16)
    }
}

impl FromValue for u32 {
    fn from_value(v: &Value) -> Result<Self, PresenceError> {
        integer(v, 0.0, 4_294_967_295.0, "an integer from 0 to 4294967295").map(|x| x as u32)
    }
}

impl FromValue for i64 {
    fn from_value(v: &Value) -> Result<Self, PresenceError> {
        integer(v, -MAX_SAFE_INTEGER, MAX_SAFE_INTEGER, "a safe integer").map(|x| x as i64)
    }
}

impl<T: FromValue> FromValue for Option<T> {
    fn from_value(v: &Value) -> Result<Self, PresenceError> {
        match v {
            Value::Null => Ok(None),
            _ => T::from_value(v).map(Some),
        }
    }
}

impl<T: FromValue> FromValue for Box<T> {
    fn from_value(v: &Value) -> Result<Self, PresenceError> {
        T::from_value(v).map(Box::new)
    }
}

impl<T: FromValue> FromValue for Vec<T> {
    fn from_value(v: &Value) -> Result<Self, PresenceError> {
        match v {
            Value::Arr(items) => {
                // A loop rather than `collect::<Result<Vec<_>, _>>()`: ~0.5 KB less gzipped wasm.
                let mut out = Vec::with_capacity(items.len());
                for item in items {
                    out.push(T::from_value(item)?);
                }
                Ok(out)
            }
            _ => Err(type_error(v, "an array")),
        }
    }
}

impl FromValue for StringMap {
    fn from_value(v: &Value) -> Result<Self, PresenceError> {
        let o = Obj::lenient(v)?;
        let mut map = Self::new();
        for (k, item) in o.0 {
            map.insert(k.clone(), String::from_value(item).map_err(|e| within(e, k))?);
        }
        Ok(map)
    }
}

crate::deserialize_via_value!(StringMap);

/// The entries of an object being read.
pub struct Obj<'a>(&'a [(String, Value)]);

impl<'a> Obj<'a> {
    /// An object whose keys are all among `fields` (the first other key is refused and named,
    /// as `deny_unknown_fields` would).
    #[inline(never)]
    pub fn strict(v: &'a Value, fields: &[&str]) -> Result<Self, PresenceError> {
        let o = Self::lenient(v)?;
        if let Some((key, _)) = o.0.iter().find(|(k, _)| !fields.contains(&k.as_str())) {
            let expected = if fields.is_empty() {
                "there are no fields".to_owned()
            } else {
                format!("expected one of {}", one_of(fields))
            };
            return Err(Kind::InvalidInput {
                field: Some(key.clone()),
                message: format!("unknown field `{key}`, {expected}"),
            }
            .into());
        }
        Ok(o)
    }

    /// An object, whatever its keys (unknown ones are ignored).
    #[inline(never)]
    pub fn lenient(v: &'a Value) -> Result<Self, PresenceError> {
        match v {
            Value::Obj(entries) => Ok(Self(entries)),
            _ => Err(type_error(v, "an object")),
        }
    }

    /// The value of `key`, if present.
    #[inline(never)]
    pub fn get(&self, key: &str) -> Option<&'a Value> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// A field that must be present (`null` counts as present: an `Option` reads it as `None`).
    #[inline(never)]
    pub fn req<T: FromValue>(&self, key: &str) -> Result<T, PresenceError> {
        match self.get(key) {
            Some(v) => T::from_value(v).map_err(|e| within(e, key)),
            None => Err(missing(key)),
        }
    }

    /// An optional field: absent and `null` are `None`.
    #[inline(never)]
    pub fn opt<T: FromValue>(&self, key: &str) -> Result<Option<T>, PresenceError> {
        // As `Option::<T>::from_value`, without one more instance per `T`.
        match self.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(v) => T::from_value(v).map(Some).map_err(|e| within(e, key)),
        }
    }

    /// An optional field read through [`pass`]: absent and `null` are `None`.
    #[inline(never)]
    pub(crate) fn pass_opt(&self, key: &str, shape: &Shape) -> Result<Option<Value>, PresenceError> {
        match self.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(v) => pass(v, shape).map(Some).map_err(|e| within(e, key)),
        }
    }

    /// A field with a default for when it is absent (`#[serde(default)]`).
    #[inline(never)]
    pub fn or_default<T: FromValue + Default>(&self, key: &str) -> Result<T, PresenceError> {
        match self.get(key) {
            Some(v) => T::from_value(v).map_err(|e| within(e, key)),
            None => Ok(T::default()),
        }
    }

    /// A field with `default` for when it is absent.
    #[inline(never)]
    pub fn or<T: FromValue>(&self, key: &str, default: T) -> Result<T, PresenceError> {
        match self.get(key) {
            Some(v) => T::from_value(v).map_err(|e| within(e, key)),
            None => Ok(default),
        }
    }
}

/// `key` is required and absent; serde's wording, with the field named.
#[inline(never)]
fn missing(key: &str) -> PresenceError {
    Kind::InvalidInput { field: Some(key.to_owned()), message: format!("missing field `{key}`") }.into()
}

/// Lets serde read a [`Value`] (natively, from `serde_json`); the wasm never does.
impl<'de> de::Deserialize<'de> for Value {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> de::Visitor<'de> for V {
            type Value = Value;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON value")
            }
            fn visit_unit<E>(self) -> Result<Value, E> {
                Ok(Value::Null)
            }
            fn visit_none<E>(self) -> Result<Value, E> {
                Ok(Value::Null)
            }
            fn visit_some<D: de::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
                <Value as de::Deserialize>::deserialize(d)
            }
            fn visit_bool<E>(self, b: bool) -> Result<Value, E> {
                Ok(Value::Bool(b))
            }
            fn visit_i64<E>(self, n: i64) -> Result<Value, E> {
                Ok(Value::Num(n as f64))
            }
            fn visit_u64<E>(self, n: u64) -> Result<Value, E> {
                Ok(Value::Num(n as f64))
            }
            fn visit_f64<E>(self, x: f64) -> Result<Value, E> {
                Ok(Value::Num(x))
            }
            fn visit_str<E>(self, s: &str) -> Result<Value, E> {
                Ok(Value::Str(s.to_owned()))
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element()? {
                    items.push(item);
                }
                Ok(Value::Arr(items))
            }
            fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
                let mut entries = Vec::new();
                while let Some((k, v)) = map.next_entry::<String, Value>()? {
                    entries.push((k, v));
                }
                Ok(Value::Obj(entries))
            }
        }
        d.deserialize_any(V)
    }
}

/// `impl Deserialize` through [`FromValue`], so that `serde_json` (in tests and native callers)
/// reads exactly what the wasm reads.
#[macro_export]
macro_rules! deserialize_via_value {
    ($($t:ty),* $(,)?) => {$(
        impl<'de> serde::Deserialize<'de> for $t {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let v = <$crate::value::Value as serde::Deserialize>::deserialize(d)?;
                <$t as $crate::value::FromValue>::from_value(&v).map_err(serde::de::Error::custom)
            }
        }
    )*};
}

/// Writes any `Serialize` as a [`Value`].
struct ValueSerializer;

/// Arrays (sequences and tuples).
struct SeqWriter(Vec<Value>);

/// Objects (maps and structs); `key` waits for its value in a map.
struct ObjWriter {
    entries: Vec<(String, Value)>,
    key: Option<String>,
}

/// A struct variant or tuple variant: `{ variant: … }`.
struct VariantWriter<W> {
    variant: &'static str,
    inner: W,
}

fn obj_of(key: &str, value: Value) -> Value {
    Value::Obj(vec![(key.to_owned(), value)])
}

impl ser::Serializer for ValueSerializer {
    type Ok = Value;
    type Error = Error;
    type SerializeSeq = SeqWriter;
    type SerializeTuple = SeqWriter;
    type SerializeTupleStruct = SeqWriter;
    type SerializeTupleVariant = VariantWriter<SeqWriter>;
    type SerializeMap = ObjWriter;
    type SerializeStruct = ObjWriter;
    type SerializeStructVariant = VariantWriter<ObjWriter>;

    fn serialize_bool(self, v: bool) -> Result<Value, Error> {
        Ok(Value::Bool(v))
    }
    fn serialize_i8(self, v: i8) -> Result<Value, Error> {
        Ok(Value::Num(v.into()))
    }
    fn serialize_i16(self, v: i16) -> Result<Value, Error> {
        Ok(Value::Num(v.into()))
    }
    fn serialize_i32(self, v: i32) -> Result<Value, Error> {
        Ok(Value::Num(v.into()))
    }
    fn serialize_i64(self, v: i64) -> Result<Value, Error> {
        Ok(Value::Num(v as f64))
    }
    fn serialize_u8(self, v: u8) -> Result<Value, Error> {
        Ok(Value::Num(v.into()))
    }
    fn serialize_u16(self, v: u16) -> Result<Value, Error> {
        Ok(Value::Num(v.into()))
    }
    fn serialize_u32(self, v: u32) -> Result<Value, Error> {
        Ok(Value::Num(v.into()))
    }
    fn serialize_u64(self, v: u64) -> Result<Value, Error> {
        Ok(Value::Num(v as f64))
    }
    fn serialize_f32(self, v: f32) -> Result<Value, Error> {
        Ok(Value::Num(v.into()))
    }
    fn serialize_f64(self, v: f64) -> Result<Value, Error> {
        Ok(Value::Num(v))
    }
    fn serialize_char(self, v: char) -> Result<Value, Error> {
        Ok(Value::Str(v.to_string()))
    }
    fn serialize_str(self, v: &str) -> Result<Value, Error> {
        Ok(Value::Str(v.to_owned()))
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<Value, Error> {
        Ok(Value::Arr(v.iter().map(|b| Value::Num((*b).into())).collect()))
    }
    fn serialize_none(self) -> Result<Value, Error> {
        Ok(Value::Null)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<Value, Error> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<Value, Error> {
        Ok(Value::Null)
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<Value, Error> {
        Ok(Value::Null)
    }
    fn serialize_unit_variant(self, _name: &'static str, _index: u32, variant: &'static str) -> Result<Value, Error> {
        Ok(Value::Str(variant.to_owned()))
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _name: &'static str, value: &T) -> Result<Value, Error> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<Value, Error> {
        Ok(obj_of(variant, value.serialize(self)?))
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<SeqWriter, Error> {
        Ok(SeqWriter(Vec::with_capacity(len.unwrap_or(0))))
    }
    fn serialize_tuple(self, len: usize) -> Result<SeqWriter, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _name: &'static str, len: usize) -> Result<SeqWriter, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<VariantWriter<SeqWriter>, Error> {
        Ok(VariantWriter { variant, inner: SeqWriter(Vec::with_capacity(len)) })
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<ObjWriter, Error> {
        Ok(ObjWriter { entries: Vec::new(), key: None })
    }
    fn serialize_struct(self, _name: &'static str, _len: usize) -> Result<ObjWriter, Error> {
        self.serialize_map(None)
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<VariantWriter<ObjWriter>, Error> {
        Ok(VariantWriter { variant, inner: ObjWriter { entries: Vec::new(), key: None } })
    }
}

impl ser::SerializeSeq for SeqWriter {
    type Ok = Value;
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.0.push(value.serialize(ValueSerializer)?);
        Ok(())
    }
    fn end(self) -> Result<Value, Error> {
        Ok(Value::Arr(self.0))
    }
}

impl ser::SerializeTuple for SeqWriter {
    type Ok = Value;
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> Result<Value, Error> {
        ser::SerializeSeq::end(self)
    }
}

impl ser::SerializeTupleStruct for SeqWriter {
    type Ok = Value;
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> Result<Value, Error> {
        ser::SerializeSeq::end(self)
    }
}

impl ser::SerializeTupleVariant for VariantWriter<SeqWriter> {
    type Ok = Value;
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        ser::SerializeSeq::serialize_element(&mut self.inner, value)
    }
    fn end(self) -> Result<Value, Error> {
        Ok(obj_of(self.variant, Value::Arr(self.inner.0)))
    }
}

impl ser::SerializeMap for ObjWriter {
    type Ok = Value;
    type Error = Error;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        match key.serialize(ValueSerializer)? {
            Value::Str(key) => {
                self.key = Some(key);
                Ok(())
            }
            _ => Err(Error("an object key must be a string".to_owned())),
        }
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        let value = value.serialize(ValueSerializer)?;
        let key = self.key.take().unwrap_or_default();
        self.entries.push((key, value));
        Ok(())
    }
    fn end(self) -> Result<Value, Error> {
        Ok(Value::Obj(self.entries))
    }
}

impl ser::SerializeStruct for ObjWriter {
    type Ok = Value;
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), Error> {
        let value = value.serialize(ValueSerializer)?;
        self.entries.push((key.to_owned(), value));
        Ok(())
    }
    fn end(self) -> Result<Value, Error> {
        Ok(Value::Obj(self.entries))
    }
}

impl ser::SerializeStructVariant for VariantWriter<ObjWriter> {
    type Ok = Value;
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), Error> {
        ser::SerializeStruct::serialize_field(&mut self.inner, key, value)
    }
    fn end(self) -> Result<Value, Error> {
        Ok(obj_of(self.variant, Value::Obj(self.inner.entries)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq)]
    struct Inner {
        tab_id: u16,
    }

    impl FromValue for Inner {
        fn from_value(v: &Value) -> Result<Self, PresenceError> {
            let o = Obj::strict(v, &["tabId"])?;
            Ok(Self { tab_id: o.req("tabId")? })
        }
    }

    #[derive(Debug, PartialEq)]
    struct Outer {
        name: String,
        inner: Option<Inner>,
        list: Vec<f64>,
    }

    impl FromValue for Outer {
        fn from_value(v: &Value) -> Result<Self, PresenceError> {
            let o = Obj::strict(v, &["name", "inner", "list"])?;
            Ok(Self { name: o.req("name")?, inner: o.opt("inner")?, list: o.or_default("list")? })
        }
    }

    fn obj(entries: &[(&str, Value)]) -> Value {
        Value::Obj(entries.iter().map(|(k, v)| ((*k).to_owned(), v.clone())).collect())
    }

    #[test]
    fn reads_structs_options_and_numbers() {
        let v = obj(&[
            ("name", Value::Str("a".into())),
            ("inner", obj(&[("tabId", Value::Num(7.0))])),
            ("list", Value::Arr(vec![Value::Num(1.5), Value::Num(-2.0)])),
        ]);
        let got: Outer = from_value(&v).expect("valid");
        assert_eq!(got, Outer { name: "a".into(), inner: Some(Inner { tab_id: 7 }), list: vec![1.5, -2.0] });
        let null_inner: Outer =
            from_value(&obj(&[("name", Value::Str("a".into())), ("inner", Value::Null)])).expect("null is None");
        assert_eq!(null_inner.inner, None);
        let from_json: Value = serde_json::from_str(r#"{"name":"a","list":[1,2.5]}"#).expect("JSON");
        assert_eq!(from_value::<Outer>(&from_json).expect("valid").list, vec![1.0, 2.5]);
    }

    #[test]
    fn refuses_unknown_fields_at_any_depth_and_names_them() {
        let top = obj(&[("name", Value::Str("a".into())), ("nmae", Value::Str("b".into()))]);
        let err = from_value::<Outer>(&top).expect_err("typo");
        assert_eq!(err.field(), Some("nmae"), "{err}");
        assert!(err.to_string().contains("unknown field `nmae`, expected one of `name`, `inner`, `list`"), "{err}");
        let nested = obj(&[("name", Value::Str("a".into())), ("inner", obj(&[("tabid", Value::Num(1.0))]))]);
        let err = from_value::<Outer>(&nested).expect_err("nested typo");
        assert_eq!(err.field(), Some("tabid"), "{err}");
        let missing = from_value::<Outer>(&obj(&[])).expect_err("missing");
        assert_eq!(missing.field(), Some("name"), "{missing}");
        assert!(missing.to_string().contains("missing field `name`"), "{missing}");
    }

    #[test]
    fn type_errors_say_what_was_received_and_what_is_allowed() {
        let err = from_value::<Inner>(&obj(&[("tabId", Value::Num(1.25))])).expect_err("fraction");
        assert_eq!((err.code(), err.field()), ("invalidInput", None));
        assert!(
            err.to_string().contains("tabId: invalid type: number 1.25, expected an integer from 0 to 65535"),
            "{err}"
        );
        let err = from_value::<Inner>(&obj(&[("tabId", Value::Num(70000.0))])).expect_err("range");
        assert!(err.to_string().contains("invalid value: number 70000, expected an integer from 0 to 65535"), "{err}");
        let err = from_value::<Outer>(&obj(&[("name", Value::Other("a function"))])).expect_err("function");
        assert!(err.to_string().contains("name: invalid type: a function, expected a string"), "{err}");
        let err = from_value::<Outer>(&Value::Str("x".into())).expect_err("not an object");
        assert!(err.to_string().contains("invalid type: string \"x\", expected an object"), "{err}");
        let err = pick(&Value::Str("zom".into()), &["zoom", "webex"], &[1, 2]).expect_err("unknown");
        assert!(err.to_string().contains("unknown variant `zom`, expected one of `zoom`, `webex`"), "{err}");
        assert_eq!(pick(&Value::Str("webex".into()), &["zoom", "webex"], &[1, 2]).expect("known"), 2);
        let err = from_value::<StringMap>(&obj(&[("a", Value::Num(1.0))])).expect_err("not text");
        assert!(err.to_string().contains("a: invalid type: number 1, expected a string"), "{err}");
    }

    #[test]
    fn writes_structs_in_field_order() {
        #[derive(serde::Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Out {
            b_key: Option<u32>,
            #[serde(skip_serializing_if = "Option::is_none")]
            skipped: Option<u32>,
            a: Vec<bool>,
        }
        let v = serialized(&Out { b_key: None, skipped: None, a: vec![true] }).expect("serializable");
        assert_eq!(v, obj(&[("bKey", Value::Null), ("a", Value::Arr(vec![Value::Bool(true)]))]));
    }

    /// The bindings write [`ToValue`]; the golden files and native tests see the `Serialize`
    /// derives. Both must give the same tree for every output type and variant.
    #[test]
    fn hand_written_values_match_the_serde_derives() {
        fn same<T: ToValue + Serialize + fmt::Debug>(x: &T) {
            assert_eq!(x.to_value(), serialized(x).expect("serializable"), "{x:?}");
        }
        use crate::meeting::{self, Effect, InFlight, MeetingEvent, MeetingState, Ours, Phase, Presence, ReadPurpose};
        use crate::{cloud, duration, request, response};

        let inputs = [
            r#"{"action":"setUserPreferredPresence","availability":"Busy","expiration":"90m"}"#,
            r#"{"action":"getPresence","userId":"5e1f9c2a-8b3d-4f60-a7e4-1d2c3b4a5f60"}"#,
            r#"{"action":"setPresence","sessionId":"5e1f9c2a-8b3d-4f60-a7e4-1d2c3b4a5f60","availability":"Busy","activity":"InACall","expiration":"PT1H"}"#,
            r#"{"action":"setStatusMessage","message":"x","messageExpiry":{"dateTime":"2026-12-01T17:30:00","timeZone":"UTC"}}"#,
        ];
        for text in inputs {
            let v: Value = serde_json::from_str(text).expect("JSON");
            same(
                &request::build(&from_value(&v).expect("valid"), "6f1c2b8e-0d4a-4b7e-9c3f-2a1b0c9d8e7f")
                    .expect("valid"),
            );
        }
        for text in [r#"{}"#, r#"{"cloud":"usGovL4","tenant":"contoso.onmicrosoft.com"}"#, r#"{"cloud":"china"}"#] {
            let v: Value = serde_json::from_str(text).expect("JSON");
            same(&cloud::cloud_config(&from_value(&v).expect("valid")).expect("valid"));
        }
        same(&duration::DurationOut::from(&duration::parse("d", "PT90M").expect("valid")));
        same(&duration::parse_expiry("until 17:30", 0.0, 60.0).expect("valid"));
        let answers = [
            (
                200,
                r#"{"availability":"Busy","activity":"InACall","statusMessage":{"message":{"content":"hi","contentType":"text"},"expiryDateTime":{"dateTime":"2026-12-01T17:30:00","timeZone":"UTC"}},"outOfOfficeSettings":{"message":null,"isOutOfOffice":false}}"#,
            ),
            (200, r#"{"id":"x","availability":"Away","activity":"Away","sequenceNumber":"C2"}"#),
            (204, ""),
            (
                429,
                r#"{"error":{"code":"TooManyRequests","message":"slow","innerError":{"request-id":"r","date":"d","client-request-id":"c"}}}"#,
            ),
            (401, r#"{"error":{"code":"InvalidAuthenticationToken","message":"expired"}}"#),
            (400, r#"{"error":{"code":"BadRequest","message":"Invalid availability"}}"#),
            (503, "<html>"),
            (0, ""),
        ];
        for (status, body) in answers {
            let headers: StringMap = [("Retry-After".to_owned(), "3".to_owned())].into_iter().collect();
            let input = response::ResponseInput {
                status,
                headers,
                body: Some(body.to_owned()),
                attempt: 0,
                waited_seconds: 0.0,
                now_ms: Some(0.0),
                jitter: Some(0.5),
            };
            let parsed: Option<response::ResponseBody> =
                serde_json::from_str::<Value>(body).ok().and_then(|v| from_value(&v).ok());
            same(&response::interpret(&input, parsed.as_ref()).expect("interpretable"));
        }
        same(&meeting::match_meeting("https://meet.google.com/abc-defg-hij", &[]).expect("valid"));
        same(&meeting::validate_pattern("https://portal.example.com:8443/meet/*").expect("valid"));
        same(&meeting::validate_pattern("https://*.video.example.com/room/*").expect("valid"));

        let presence = Presence { availability: "Available".into(), activity: "Available".into() };
        let ours =
            Ours { availability: "Busy".into(), activity: "Busy".into(), expires_at_ms: 5.5, before: presence.clone() };
        let phases = [
            Phase::Idle,
            Phase::Snapshot { resume: None, before: None },
            Phase::Snapshot { resume: Some(ours.clone()), before: Some(presence.clone()) },
            Phase::Setting { before: presence.clone() },
            Phase::Holding { ours: None },
            Phase::Holding { ours: Some(ours.clone()) },
            Phase::Checking { ours: ours.clone() },
            Phase::Restoring { ours: ours.clone() },
        ];
        for (i, phase) in phases.into_iter().enumerate() {
            let in_flight =
                [None, Some(InFlight::Read), Some(InFlight::Set { ours: ours.clone() }), Some(InFlight::Restore)]
                    [i % 4]
                    .clone();
            same(&MeetingState { phase, in_flight, retry_at_ms: Some(1.0), ..MeetingState::default() });
        }
        for effect in [
            Effect::ReadPresence { purpose: ReadPurpose::Snapshot },
            Effect::ReadPresence { purpose: ReadPurpose::BeforeRestore },
            Effect::SetPreferredPresence { availability: "a".into(), activity: "b".into(), expiration: "PT4H".into() },
            Effect::ClearPreferredPresence {},
            Effect::RestorePreferredPresence {
                availability: "a".into(),
                activity: "b".into(),
                expiration: "PT1H".into(),
            },
            Effect::ScheduleRetry { at_ms: 5.0 },
            Effect::Badge { active: true },
        ] {
            same(&effect);
        }
        // A meeting from join to leave, every step's output.
        let events = [
            r#"{"type":"configure","status":"DoNotDisturb","safetyExpiry":"PT2H"}"#,
            r#"{"type":"join","tabId":7,"site":"zoom","meetingId":"123456789"}"#,
            r#"{"type":"presenceRead","availability":"Available","activity":"Available"}"#,
            r#"{"type":"requestResult","request":"set","ok":true}"#,
            r#"{"type":"tabNavigated","tabId":7,"meeting":{"site":"zoom","meetingId":"123456789"}}"#,
            r#"{"type":"leave","tabId":7}"#,
            r#"{"type":"presenceRead","availability":"DoNotDisturb","activity":"DoNotDisturb"}"#,
            r#"{"type":"requestResult","request":"restore","ok":false,"status":503,"retryAfterMs":1000}"#,
            r#"{"type":"retryDue"}"#,
            r#"{"type":"workerStart","liveTabIds":[]}"#,
        ];
        let mut state: Option<MeetingState> = None;
        for (i, text) in events.into_iter().enumerate() {
            let v: Value = serde_json::from_str(text).expect("JSON");
            let event: MeetingEvent = from_value(&v).expect("valid event");
            let out = meeting::meeting_step(state.take(), event, 1_000_000.0 + 1000.0 * i as f64).expect("a step");
            same(&out);
            state = Some(from_value(&out.state.to_value()).expect("the state reads back"));
        }
    }
}
