//! The `declare_settings!` macro: from one line per key (type, default, environment variable,
//! documentation) it generates the section structs, their defaults, the override layers and the
//! `KEYS` list the README table and `config/forum.toml` are checked against. A key added to the
//! table is therefore typed, defaulted, overridable and documented at once.

/// What is known about one key, for overrides, documentation and the admin view.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyInfo {
    /// `section.field`, as in the config file.
    pub path: &'static str,
    /// The one environment variable that overrides it.
    pub env: &'static str,
    /// What it does (the README's "meaning" column and the config file's comment).
    pub doc: &'static str,
}

/// See the module documentation; the invocation is in `config.rs`.
macro_rules! declare_settings {
    (
        $(
            $(#[doc = $sdoc:literal])*
            [$section:ident] $Struct:ident {
                $( $field:ident : $ty:ty = $default:expr, $env:literal, $doc:literal; )*
            }
        )*
    ) => {
        /// Everything the server can be told, section by section.
        #[derive(Debug, Clone, Default, Deserialize)]
        #[serde(default, deny_unknown_fields)]
        pub struct Settings {
            $(
                $(#[doc = $sdoc])*
                pub $section: $Struct,
            )*
        }

        $(
            $(#[doc = $sdoc])*
            #[derive(Clone, Deserialize)]
            #[serde(default, deny_unknown_fields)]
            pub struct $Struct {
                $( #[doc = $doc] pub $field: $ty, )*
            }

            // Settings end up in logs and panic messages: secrets, passwords and URLs (which
            // may carry credentials) are never printed.
            impl std::fmt::Debug for $Struct {
                fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    let mut d = f.debug_struct(stringify!($Struct));
                    $(
                        if redacted(stringify!($field)) {
                            d.field(stringify!($field), &"<redacted>");
                        } else {
                            d.field(stringify!($field), &self.$field);
                        }
                    )*
                    d.finish()
                }
            }

            impl Default for $Struct {
                fn default() -> Self {
                    Self { $( $field: $default, )* }
                }
            }
        )*

        /// Every key, in file order: the single list documentation and overrides walk.
        pub const KEYS: &[KeyInfo] = &[
            $($(
                KeyInfo {
                    path: concat!(stringify!($section), ".", stringify!($field)),
                    env: $env,
                    doc: $doc,
                },
            )*)*
        ];

        impl Settings {
            /// Sets each key `get` has a value for; `layer` only names the source in errors.
            pub fn apply_overrides(
                &mut self,
                layer: Layer,
                get: Source<'_>,
            ) -> Result<(), ConfigError> {
                $($(
                    let key: &'static KeyInfo = &KeyInfo {
                        path: concat!(stringify!($section), ".", stringify!($field)),
                        env: $env,
                        doc: $doc,
                    };
                    if let Some(text) = get(key) {
                        self.$section.$field = <$ty as ConfigValue>::parse_value(&text)
                            .map_err(|message| layer.error(key, message))?;
                    }
                )*)*
                Ok(())
            }

            /// Each key's value as TOML, in `KEYS` order.
            pub fn toml_values(&self) -> Vec<String> {
                vec![$($( ConfigValue::to_toml(&self.$section.$field), )*)*]
            }
        }
    };
}

pub(crate) use declare_settings;

/// Whether a key's value is kept out of `Debug` output.
pub fn redacted(field: &str) -> bool {
    ["secret", "password", "url"]
        .iter()
        .any(|word| field.contains(word))
}
