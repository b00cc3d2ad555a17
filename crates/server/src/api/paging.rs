//! Atlas list paging: `pageNum` (1-based, default 1), `itemsPerPage` (default 100, at most 500),
//! `includeCount` (default true), and the `links` of a list envelope.

use access_core::api::{Link, Paginated};
use axum::extract::{FromRequestParts, OriginalUri, Query};
use axum::http::request::Parts;
use axum::http::Uri;

use super::ApiError;

pub const DEFAULT_ITEMS_PER_PAGE: u64 = 100;
pub const MAX_ITEMS_PER_PAGE: u64 = 500;

/// The paging query parameters as the OpenAPI document states them (the limits [`Paging`] checks; a
/// unit test of `openapi.rs` compares them with [`MAX_ITEMS_PER_PAGE`]).
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct PagingParams {
    /// The page, from 1.
    #[param(rename = "pageNum", minimum = 1, maximum = 4294967295_u64, default = 1)]
    page_num: Option<u64>,
    /// Items per page.
    #[param(rename = "itemsPerPage", minimum = 1, maximum = 500, default = 100)]
    items_per_page: Option<u64>,
    /// Whether the answer has `totalCount`.
    #[param(rename = "includeCount", default = true)]
    include_count: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paging {
    pub page_num: u64,
    pub items_per_page: u64,
    pub include_count: bool,
    /// The server's public address and the request's path (path only when unknown), for links.
    base: String,
    /// The query parameters that are not paging ones, kept in links.
    other: Vec<(String, String)>,
}

impl Paging {
    pub fn offset(&self) -> u64 {
        (self.page_num - 1).saturating_mul(self.items_per_page)
    }

    /// The list envelope of `results`, this page of a list of `total` items.
    pub fn envelope<T>(&self, results: Vec<T>, total: u64) -> Paginated<T> {
        Paginated {
            results,
            total_count: self.include_count.then_some(total),
            links: self.links(total),
        }
    }

    /// The list envelope of `results` when the total is known only if it was counted
    /// (`includeCount`); without it, `next` is offered when the page is full.
    pub fn envelope_counted<T>(&self, results: Vec<T>, total: Option<u64>) -> Paginated<T> {
        let known = total.unwrap_or_else(|| {
            let shown = u64::try_from(results.len()).unwrap_or(u64::MAX);
            self.offset()
                .saturating_add(shown)
                .saturating_add(u64::from(shown == self.items_per_page))
        });
        Paginated {
            results,
            total_count: total,
            links: self.links(known),
        }
    }

    /// The envelope of this page of `all` (a whole list read at once); only the page's items are taken.
    pub fn page_of<T>(&self, all: impl ExactSizeIterator<Item = T>) -> Paginated<T> {
        let total = u64::try_from(all.len()).unwrap_or(u64::MAX);
        let results = all
            .skip(usize::try_from(self.offset()).unwrap_or(usize::MAX))
            .take(usize::try_from(self.items_per_page).unwrap_or(usize::MAX))
            .collect();
        self.envelope(results, total)
    }

    /// `self`, plus `previous` and `next` when there are such pages.
    pub fn links(&self, total: u64) -> Vec<Link> {
        let mut links = vec![Link {
            rel: "self".to_owned(),
            href: self.href(self.page_num),
        }];
        if self.page_num > 1 {
            links.push(Link {
                rel: "previous".to_owned(),
                href: self.href(self.page_num - 1),
            });
        }
        if self.offset().saturating_add(self.items_per_page) < total {
            links.push(Link {
                rel: "next".to_owned(),
                href: self.href(self.page_num + 1),
            });
        }
        links
    }

    fn href(&self, page_num: u64) -> String {
        let mut query: Vec<String> = self
            .other
            .iter()
            .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
            .collect();
        query.push(format!("pageNum={page_num}"));
        query.push(format!("itemsPerPage={}", self.items_per_page));
        format!("{}?{}", self.base, query.join("&"))
    }

    pub fn from_query(
        uri: &Uri,
        origin: Option<&str>,
        pairs: Vec<(String, String)>,
    ) -> Result<Self, ApiError> {
        let mut paging = Self {
            page_num: 1,
            items_per_page: DEFAULT_ITEMS_PER_PAGE,
            include_count: true,
            base: match origin {
                Some(origin) => format!("{origin}{}", uri.path()),
                None => uri.path().to_owned(),
            },
            other: Vec::new(),
        };
        for (name, value) in pairs {
            match name.as_str() {
                "pageNum" => paging.page_num = number(&name, &value, 1, u64::from(u32::MAX))?,
                "itemsPerPage" => {
                    paging.items_per_page = number(&name, &value, 1, MAX_ITEMS_PER_PAGE)?
                }
                "includeCount" => {
                    paging.include_count = match value.as_str() {
                        "true" => true,
                        "false" => false,
                        _ => {
                            return Err(ApiError::InvalidQueryParameter {
                                detail: format!("it is {:?}; use true or false.", shorten(&value)),
                                name,
                            })
                        }
                    }
                }
                _ => paging.other.push((name, value)),
            }
        }
        Ok(paging)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Paging {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let Query(pairs) = Query::<Vec<(String, String)>>::from_request_parts(parts, state)
            .await
            .map_err(|_| ApiError::InvalidQueryParameter {
                name: "(query string)".to_owned(),
                detail: "the query string is not valid URL encoding.".to_owned(),
            })?;
        // The configured public address (`--public-url`, else the listen address), never the Host
        // header: a client must not choose where the links point.
        let origin = parts
            .extensions
            .get::<super::PublicBase>()
            .map(|base| base.0.as_str());
        // Inside a nested router `parts.uri` lacks the version prefix; links need the whole path.
        let uri = parts
            .extensions
            .get::<OriginalUri>()
            .map_or(&parts.uri, |original| &original.0);
        Self::from_query(uri, origin, pairs)
    }
}

fn number(name: &str, value: &str, min: u64, max: u64) -> Result<u64, ApiError> {
    match value.parse::<u64>() {
        Ok(n) if (min..=max).contains(&n) => Ok(n),
        _ => Err(ApiError::InvalidQueryParameter {
            name: name.to_owned(),
            detail: format!(
                "it is {:?}; use a whole number from {min} to {max}.",
                shorten(value)
            ),
        }),
    }
}

fn shorten(text: &str) -> String {
    text.chars().take(40).collect()
}

/// Percent-encodes what is not unreserved (RFC 3986).
fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paging(query: &[(&str, &str)]) -> Result<Paging, &'static str> {
        let uri: Uri = "/api/atlas/v2/groups".parse().map_err(|_| "uri")?;
        let pairs = query
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        Paging::from_query(&uri, Some("http://127.0.0.1:8080"), pairs).map_err(|e| e.code())
    }

    #[test]
    fn defaults_and_limits() {
        let p = paging(&[]).map_err(|e| e.to_owned());
        assert_eq!(
            p.as_ref()
                .map(|p| (p.page_num, p.items_per_page, p.include_count)),
            Ok((1, 100, true))
        );
        assert_eq!(
            paging(&[("pageNum", "0")]).err(),
            Some("INVALID_QUERY_PARAMETER")
        );
        assert_eq!(
            paging(&[("itemsPerPage", "501")]).err(),
            Some("INVALID_QUERY_PARAMETER")
        );
        assert_eq!(
            paging(&[("itemsPerPage", "-1")]).err(),
            Some("INVALID_QUERY_PARAMETER")
        );
        assert_eq!(
            paging(&[("includeCount", "yes")]).err(),
            Some("INVALID_QUERY_PARAMETER")
        );
        assert_eq!(
            paging(&[("pageNum", "3"), ("itemsPerPage", "10")]).map(|p| p.offset()),
            Ok(20)
        );
    }

    #[test]
    fn links_point_to_neighbouring_pages() {
        let Ok(p) = paging(&[("pageNum", "2"), ("itemsPerPage", "1"), ("pretty", "true")]) else {
            panic!("paging refused");
        };
        let links: Vec<(String, String)> =
            p.links(3).into_iter().map(|l| (l.rel, l.href)).collect();
        let base = "http://127.0.0.1:8080/api/atlas/v2/groups?pretty=true";
        assert_eq!(
            links,
            vec![
                (
                    "self".to_owned(),
                    format!("{base}&pageNum=2&itemsPerPage=1")
                ),
                (
                    "previous".to_owned(),
                    format!("{base}&pageNum=1&itemsPerPage=1")
                ),
                (
                    "next".to_owned(),
                    format!("{base}&pageNum=3&itemsPerPage=1")
                ),
            ]
        );
        assert_eq!(p.links(2).len(), 2);
    }
}
