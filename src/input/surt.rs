//! URL canonicalisation as web archives do it (SURT-style): captures of one page under different
//! spellings of its URL form one witness group.

/// Query parameters that track the visitor and never change the page.
const TRACKING: &[&str] = &[
    "fbclid",
    "gclid",
    "dclid",
    "msclkid",
    "yclid",
    "mc_cid",
    "mc_eid",
    "_ga",
    "spm",
    "from",
    "share_token",
    "igshid",
    "ref",
    "ref_src",
];

/// The canonical key of a URL: host lower case without `www.` and the default port, written
/// in reverse (`com,example)`), then the path without a trailing slash, then the query with
/// tracking parameters dropped and the rest sorted; scheme and fragment ignored.
///
/// ```
/// use collatio::input::surt::canonical;
/// assert_eq!(
///     canonical("https://WWW.Example.com:443/news/1/?utm_source=x&b=2&a=1#top"),
///     canonical("http://example.com/news/1?a=1&b=2"),
/// );
/// assert_eq!(canonical("http://example.com/news/1"), "com,example)/news/1");
/// ```
pub fn canonical(url: &str) -> String {
    let url = url.trim().trim_start_matches('<').trim_end_matches('>');
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let rest = rest.split('#').next().unwrap_or("");
    let (hostport, pathq) = match rest.find(['/', '?']) {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, ""),
    };
    let host = hostport
        .rsplit('@')
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    let host = host
        .strip_suffix(":80")
        .or_else(|| host.strip_suffix(":443"))
        .unwrap_or(&host);
    let host = host.strip_prefix("www.").unwrap_or(host);
    let host = host.trim_end_matches('.');
    let surt_host: Vec<&str> = host.split('.').rev().collect();
    let (path, query) = pathq.split_once('?').unwrap_or((pathq, ""));
    let path = path.trim_end_matches('/');
    let mut params: Vec<&str> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .filter(|p| {
            let k = p.split('=').next().unwrap_or("").to_ascii_lowercase();
            !k.starts_with("utm_") && !TRACKING.contains(&k.as_str())
        })
        .collect();
    params.sort_unstable();
    let mut key = format!("{})", surt_host.join(","));
    key.push_str(if path.is_empty() { "/" } else { path });
    if !params.is_empty() {
        key.push('?');
        key.push_str(&params.join("&"));
    }
    key
}

#[cfg(test)]
mod tests {
    use super::canonical;

    #[test]
    fn spellings_of_one_page_agree() {
        let k = canonical("http://news.example.cn/a/1.html");
        for u in [
            "https://www.news.example.cn/a/1.html",
            "https://news.example.cn:443/a/1.html/",
            "http://NEWS.example.cn/a/1.html?utm_medium=share&fbclid=x",
            "http://news.example.cn/a/1.html#comments",
        ] {
            assert_eq!(canonical(u), k, "{u}");
        }
        assert_ne!(canonical("http://news.example.cn/a/2.html"), k);
        assert_ne!(canonical("http://news.example.cn/a/1.html?page=2"), k);
    }
}
