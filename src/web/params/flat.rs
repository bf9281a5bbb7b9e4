//! A query struct's fields as a query string writes them, read through serde straight from
//! the struct: texts, integers, booleans, optional values, unit enum variants and lists of
//! those. `Rules::encode` compares them with the documented defaults (JSON values) and
//! writes them in declared order; a page encodes its parameters for each of its links, and
//! going through a JSON document (`serde_json::to_value`) built a map of owned keys and
//! values every time.

use std::fmt::Display;

use serde::ser::{self, Impossible, Serialize};
use serde_json::Value;

/// One value of a parameter.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Scalar {
    Text(String),
    Integer(i128),
    Bool(bool),
}

impl Scalar {
    /// Whether this is the JSON value `v` (as `serde_json::to_value` would have made it).
    pub(super) fn is(&self, v: &Value) -> bool {
        match (self, v) {
            (Scalar::Text(s), Value::String(t)) => s == t,
            (Scalar::Integer(n), Value::Number(m)) => {
                m.as_i64().map(i128::from) == Some(*n) || m.as_u64().map(i128::from) == Some(*n)
            }
            (Scalar::Bool(b), Value::Bool(c)) => b == c,
            _ => false,
        }
    }
}

/// A field's value: absent (`None`), one value or a list.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Field {
    Absent,
    One(Scalar),
    Many(Vec<Scalar>),
}

impl Field {
    /// Whether this is the JSON value `v`.
    pub(super) fn is(&self, v: &Value) -> bool {
        match (self, v) {
            (Field::Absent, Value::Null) => true,
            (Field::One(s), v) => s.is(v),
            (Field::Many(items), Value::Array(values)) => {
                items.len() == values.len() && items.iter().zip(values).all(|(i, v)| i.is(v))
            }
            _ => false,
        }
    }
}

/// A type this reader does not write (maps, nested structs, floats…).
#[derive(Debug)]
pub(super) struct Unsupported(String);

impl Display for Unsupported {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "paramètre non représentable dans une adresse : {}",
            self.0
        )
    }
}

impl std::error::Error for Unsupported {}

impl ser::Error for Unsupported {
    fn custom<T: Display>(msg: T) -> Self {
        Unsupported(msg.to_string())
    }
}

fn unsupported<T>(what: &str) -> Result<T, Unsupported> {
    Err(Unsupported(what.to_owned()))
}

/// The fields of a struct, by serialised name, in declared order.
pub(super) fn fields<T: Serialize>(value: &T) -> Result<Vec<(&'static str, Field)>, Unsupported> {
    value.serialize(StructSerializer)
}

/// Reads a struct (the only top-level shape a query struct has).
struct StructSerializer;

/// Collects a struct's fields.
struct Fields(Vec<(&'static str, Field)>);

/// Reads one field.
struct FieldSerializer;

/// Collects a list's items.
struct Items(Vec<Scalar>);

/// Reads one item of a list.
struct ScalarSerializer;

/// The serde methods a reader refuses: every shape but those it lists.
macro_rules! refuse {
    ($($method:ident($($arg:ty),*) -> $ok:ty;)*) => {
        $(fn $method(self, $(_: $arg),*) -> Result<$ok, Unsupported> {
            unsupported(stringify!($method))
        })*
    };
}

/// The serde methods a field reads as one value, as the item reader reads it.
macro_rules! one {
    ($($method:ident($arg:ty);)*) => {
        $(fn $method(self, v: $arg) -> Result<Field, Unsupported> {
            ScalarSerializer.$method(v).map(Field::One)
        })*
    };
}

/// The serde methods of integers, each read as a wide integer.
macro_rules! integers {
    ($($method:ident($arg:ty);)*) => {
        $(fn $method(self, v: $arg) -> Result<Scalar, Unsupported> {
            Ok(Scalar::Integer(v.into()))
        })*
    };
}

impl ser::Serializer for StructSerializer {
    type Ok = Vec<(&'static str, Field)>;
    type Error = Unsupported;
    type SerializeSeq = Impossible<Self::Ok, Unsupported>;
    type SerializeTuple = Impossible<Self::Ok, Unsupported>;
    type SerializeTupleStruct = Impossible<Self::Ok, Unsupported>;
    type SerializeTupleVariant = Impossible<Self::Ok, Unsupported>;
    type SerializeMap = Impossible<Self::Ok, Unsupported>;
    type SerializeStruct = Fields;
    type SerializeStructVariant = Impossible<Self::Ok, Unsupported>;

    fn serialize_struct(self, _: &'static str, len: usize) -> Result<Fields, Unsupported> {
        Ok(Fields(Vec::with_capacity(len)))
    }

    refuse! {
        serialize_bool(bool) -> Self::Ok;
        serialize_i8(i8) -> Self::Ok;
        serialize_i16(i16) -> Self::Ok;
        serialize_i32(i32) -> Self::Ok;
        serialize_i64(i64) -> Self::Ok;
        serialize_u8(u8) -> Self::Ok;
        serialize_u16(u16) -> Self::Ok;
        serialize_u32(u32) -> Self::Ok;
        serialize_u64(u64) -> Self::Ok;
        serialize_f32(f32) -> Self::Ok;
        serialize_f64(f64) -> Self::Ok;
        serialize_char(char) -> Self::Ok;
        serialize_str(&str) -> Self::Ok;
        serialize_bytes(&[u8]) -> Self::Ok;
        serialize_none() -> Self::Ok;
        serialize_unit() -> Self::Ok;
        serialize_unit_struct(&'static str) -> Self::Ok;
        serialize_unit_variant(&'static str, u32, &'static str) -> Self::Ok;
        serialize_seq(Option<usize>) -> Self::SerializeSeq;
        serialize_tuple(usize) -> Self::SerializeTuple;
        serialize_tuple_struct(&'static str, usize) -> Self::SerializeTupleStruct;
        serialize_tuple_variant(&'static str, u32, &'static str, usize) -> Self::SerializeTupleVariant;
        serialize_map(Option<usize>) -> Self::SerializeMap;
        serialize_struct_variant(&'static str, u32, &'static str, usize) -> Self::SerializeStructVariant;
    }

    fn serialize_some<T: ?Sized + Serialize>(self, _: &T) -> Result<Self::Ok, Unsupported> {
        unsupported("serialize_some")
    }

    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<Self::Ok, Unsupported> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<Self::Ok, Unsupported> {
        unsupported("serialize_newtype_variant")
    }
}

impl ser::SerializeStruct for Fields {
    type Ok = Vec<(&'static str, Field)>;
    type Error = Unsupported;

    fn serialize_field<T: ?Sized + Serialize>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Unsupported> {
        self.0.push((key, value.serialize(FieldSerializer)?));
        Ok(())
    }

    fn end(self) -> Result<Self::Ok, Unsupported> {
        Ok(self.0)
    }
}

impl ser::Serializer for FieldSerializer {
    type Ok = Field;
    type Error = Unsupported;
    type SerializeSeq = Items;
    type SerializeTuple = Impossible<Field, Unsupported>;
    type SerializeTupleStruct = Impossible<Field, Unsupported>;
    type SerializeTupleVariant = Impossible<Field, Unsupported>;
    type SerializeMap = Impossible<Field, Unsupported>;
    type SerializeStruct = Impossible<Field, Unsupported>;
    type SerializeStructVariant = Impossible<Field, Unsupported>;

    fn serialize_none(self) -> Result<Field, Unsupported> {
        Ok(Field::Absent)
    }

    fn serialize_some<T: ?Sized + Serialize>(self, value: &T) -> Result<Field, Unsupported> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<Field, Unsupported> {
        Ok(Field::Absent)
    }

    fn serialize_seq(self, len: Option<usize>) -> Result<Items, Unsupported> {
        Ok(Items(Vec::with_capacity(len.unwrap_or(0))))
    }

    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<Field, Unsupported> {
        value.serialize(self)
    }

    one! {
        serialize_bool(bool);
        serialize_i8(i8);
        serialize_i16(i16);
        serialize_i32(i32);
        serialize_i64(i64);
        serialize_u8(u8);
        serialize_u16(u16);
        serialize_u32(u32);
        serialize_u64(u64);
        serialize_char(char);
        serialize_str(&str);
    }

    fn serialize_unit_variant(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
    ) -> Result<Field, Unsupported> {
        ScalarSerializer
            .serialize_unit_variant(name, index, variant)
            .map(Field::One)
    }

    refuse! {
        serialize_f32(f32) -> Field;
        serialize_f64(f64) -> Field;
        serialize_bytes(&[u8]) -> Field;
        serialize_unit_struct(&'static str) -> Field;
        serialize_tuple(usize) -> Self::SerializeTuple;
        serialize_tuple_struct(&'static str, usize) -> Self::SerializeTupleStruct;
        serialize_tuple_variant(&'static str, u32, &'static str, usize) -> Self::SerializeTupleVariant;
        serialize_map(Option<usize>) -> Self::SerializeMap;
        serialize_struct(&'static str, usize) -> Self::SerializeStruct;
        serialize_struct_variant(&'static str, u32, &'static str, usize) -> Self::SerializeStructVariant;
    }

    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<Field, Unsupported> {
        unsupported("serialize_newtype_variant")
    }
}

impl ser::SerializeSeq for Items {
    type Ok = Field;
    type Error = Unsupported;

    fn serialize_element<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Unsupported> {
        self.0.push(value.serialize(ScalarSerializer)?);
        Ok(())
    }

    fn end(self) -> Result<Field, Unsupported> {
        Ok(Field::Many(self.0))
    }
}

impl ser::Serializer for ScalarSerializer {
    type Ok = Scalar;
    type Error = Unsupported;
    type SerializeSeq = Impossible<Scalar, Unsupported>;
    type SerializeTuple = Impossible<Scalar, Unsupported>;
    type SerializeTupleStruct = Impossible<Scalar, Unsupported>;
    type SerializeTupleVariant = Impossible<Scalar, Unsupported>;
    type SerializeMap = Impossible<Scalar, Unsupported>;
    type SerializeStruct = Impossible<Scalar, Unsupported>;
    type SerializeStructVariant = Impossible<Scalar, Unsupported>;

    fn serialize_bool(self, v: bool) -> Result<Scalar, Unsupported> {
        Ok(Scalar::Bool(v))
    }
    integers! {
        serialize_i8(i8);
        serialize_i16(i16);
        serialize_i32(i32);
        serialize_i64(i64);
        serialize_u8(u8);
        serialize_u16(u16);
        serialize_u32(u32);
        serialize_u64(u64);
    }

    fn serialize_char(self, v: char) -> Result<Scalar, Unsupported> {
        Ok(Scalar::Text(v.to_string()))
    }
    fn serialize_str(self, v: &str) -> Result<Scalar, Unsupported> {
        Ok(Scalar::Text(v.to_owned()))
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<Scalar, Unsupported> {
        Ok(Scalar::Text(variant.to_owned()))
    }
    fn serialize_some<T: ?Sized + Serialize>(self, _: &T) -> Result<Scalar, Unsupported> {
        unsupported("serialize_some")
    }
    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<Scalar, Unsupported> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<Scalar, Unsupported> {
        unsupported("serialize_newtype_variant")
    }

    refuse! {
        serialize_f32(f32) -> Scalar;
        serialize_f64(f64) -> Scalar;
        serialize_bytes(&[u8]) -> Scalar;
        serialize_none() -> Scalar;
        serialize_unit() -> Scalar;
        serialize_unit_struct(&'static str) -> Scalar;
        serialize_seq(Option<usize>) -> Self::SerializeSeq;
        serialize_tuple(usize) -> Self::SerializeTuple;
        serialize_tuple_struct(&'static str, usize) -> Self::SerializeTupleStruct;
        serialize_tuple_variant(&'static str, u32, &'static str, usize) -> Self::SerializeTupleVariant;
        serialize_map(Option<usize>) -> Self::SerializeMap;
        serialize_struct(&'static str, usize) -> Self::SerializeStruct;
        serialize_struct_variant(&'static str, u32, &'static str, usize) -> Self::SerializeStructVariant;
    }
}
