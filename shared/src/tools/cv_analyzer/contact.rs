//! The candidate's name, email address and phone number.

use super::sections::is_heading;

/// The first email address in the text.
pub fn email(text: &str) -> Option<String> {
    emails(before_references(text)).into_iter().next()
}

/// The text before a references section: the addresses and numbers there are the referees', not the
/// candidate's.
fn before_references(text: &str) -> &str {
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        let heading = line.trim().trim_end_matches(':').to_lowercase();
        if at > 0
            && matches!(
                heading.as_str(),
                "references" | "referees" | "references available"
            )
        {
            return &text[..at];
        }
        at += line.len();
    }
    text
}

/// Every email address, with the byte range it occupies (so skill matching can skip it).
pub fn email_spans(text: &str) -> Vec<std::ops::Range<usize>> {
    let bytes = text.as_bytes();
    let local = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'%' | b'+' | b'-');
    let domain = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-');
    let mut spans = Vec::new();
    for (at, _) in text.match_indices('@') {
        let mut start = at;
        while start > 0 && local(bytes[start - 1]) {
            start -= 1;
        }
        let mut end = at + 1;
        while end < bytes.len() && domain(bytes[end]) {
            end += 1;
        }
        while end > at + 1 && matches!(bytes[end - 1], b'.' | b'-') {
            end -= 1;
        }
        while start < at && matches!(bytes[start], b'.' | b'-' | b'+') {
            start += 1;
        }
        let host = &text[at + 1..end];
        let tld = host.rsplit('.').next().unwrap_or("");
        let valid = start < at
            && host.contains('.')
            && !host.starts_with('.')
            && !host.contains("..")
            && tld.len() >= 2
            && tld.chars().all(|c| c.is_ascii_alphabetic());
        if valid {
            spans.push(start..end);
        }
    }
    spans
}

fn emails(text: &str) -> Vec<String> {
    email_spans(text)
        .into_iter()
        .map(|r| text[r].to_owned())
        .collect()
}

/// Byte ranges of web addresses (`https://…`, `www.…`, `linkedin.com/…`), which skill matching skips.
pub fn url_spans(text: &str) -> Vec<std::ops::Range<usize>> {
    let mut spans = Vec::new();
    let mut offset = 0;
    for word in text.split_inclusive(char::is_whitespace) {
        let trimmed = word.trim_end();
        let lower = trimmed.to_ascii_lowercase();
        let is_url = lower.starts_with("http://")
            || lower.starts_with("https://")
            || lower.starts_with("www.")
            || (lower.contains(".com/") || lower.contains(".io/") || lower.contains(".dev/"));
        if is_url {
            spans.push(offset..offset + trimmed.len());
        }
        offset += word.len();
    }
    spans
}

/// Words that, right before a number, say it is a phone number.
const PHONE_LABELS: [&str; 12] = [
    "phone",
    "tel",
    "mobile",
    "mob",
    "cell",
    "telephone",
    "téléphone",
    "telefon",
    "teléfono",
    "handy",
    "contact",
    "whatsapp",
];

/// The most phone-like number: international (`+44 7700 900123`, `+81 90-1234-5678`, E.164), North American
/// (`(415) 555-0132`), or any 7–15 digit group after a "Phone"/"Tel"/"Mobile" label — never a date range.
pub fn phone(text: &str) -> Option<String> {
    let mut best: Option<(i32, String)> = None;
    for (line_no, line) in before_references(text).lines().enumerate() {
        for (start, candidate) in phone_candidates(line) {
            let digits = candidate.chars().filter(char::is_ascii_digit).count();
            let international = candidate.starts_with('+') || candidate.starts_with("00");
            if !(7..=15).contains(&digits) || (international && digits < 8) {
                continue;
            }
            let label = line[..start].to_lowercase();
            let label = label.trim_end().trim_end_matches([':', '.', ' ']);
            let labelled = PHONE_LABELS.iter().any(|l| label.ends_with(l))
                || line[..start].trim_end().ends_with(['☎', '📞', '✆']);
            let mut score = 0;
            if international {
                score += 3;
            }
            if labelled {
                score += 3;
            }
            if candidate.starts_with('(') {
                score += 1;
            }
            if line_no < 12 {
                score += 1;
            }
            if looks_like_dates(&candidate) {
                score -= 5;
            }
            let groups = candidate
                .split(|c: char| !c.is_ascii_digit())
                .filter(|g| !g.is_empty())
                .count();
            if groups == 1 && !international && !labelled {
                score -= 2;
            }
            if score >= 1 && best.as_ref().is_none_or(|(s, _)| score > *s) {
                best = Some((score, candidate));
            }
        }
    }
    best.map(|(_, p)| p)
}

/// Runs of phone characters in a line that start with `+`, `(` or a digit, trimmed and with spaces collapsed.
fn phone_candidates(line: &str) -> Vec<(usize, String)> {
    let is_phone_char = |c: char| {
        c.is_ascii_digit() || matches!(c, '+' | '(' | ')' | '-' | '.' | ' ' | '\u{a0}' | '/')
    };
    let mut out = Vec::new();
    let mut chars = line.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let starts = c == '+' || c == '(' || c.is_ascii_digit();
        let after_word = line[..i]
            .chars()
            .next_back()
            .is_some_and(|p| p.is_alphanumeric() || p == '@' || p == '.');
        if !starts || after_word {
            continue;
        }
        let mut end = i + c.len_utf8();
        while let Some(&(j, d)) = chars.peek() {
            if !is_phone_char(d) {
                break;
            }
            end = j + d.len_utf8();
            chars.next();
        }
        let raw = line[i..end].trim_end_matches(|c: char| !c.is_ascii_digit() && c != ')');
        let raw = raw.trim();
        // A closing parenthesis that opens nothing belongs to the text around the number.
        let raw = if raw.ends_with(')') && !raw.contains('(') {
            &raw[..raw.len() - 1]
        } else {
            raw
        };
        let collapsed = raw.split_whitespace().collect::<Vec<_>>().join(" ");
        if collapsed.chars().any(|c| c.is_ascii_digit()) {
            out.push((i, collapsed));
        }
    }
    out
}

/// "2019 - 2021", "2019-01 - 2021-06", "01/2018": year-like groups without a leading `+` or `(`.
fn looks_like_dates(candidate: &str) -> bool {
    if candidate.starts_with('+') || candidate.starts_with('(') {
        return false;
    }
    let groups: Vec<&str> = candidate
        .split(|c: char| !c.is_ascii_digit())
        .filter(|g| !g.is_empty())
        .collect();
    let yearish = groups
        .iter()
        .filter(|g| g.len() == 4 && g.parse::<u32>().is_ok_and(|y| (1950..=2040).contains(&y)))
        .count();
    yearish >= 1 && (candidate.contains('/') || groups.len() <= 4) || year_range(&groups)
}

/// Two four-digit numbers, the second a few decades at most after the first: a range of years of any century
/// ("1904-1914"), not a phone number.
fn year_range(groups: &[&str]) -> bool {
    let [from, to] = groups else {
        return false;
    };
    let year = |g: &str| {
        g.parse::<u32>()
            .ok()
            .filter(|y| g.len() == 4 && (1000..=2999).contains(y))
    };
    matches!((year(from), year(to)), (Some(a), Some(b)) if a <= b && b - a <= 60)
}

/// Words that show a line is not a name.
const NOT_NAME_WORDS: [&str; 40] = [
    "resume",
    "résumé",
    "curriculum",
    "vitae",
    "cv",
    "engineer",
    "developer",
    "manager",
    "scientist",
    "analyst",
    "architect",
    "consultant",
    "designer",
    "director",
    "intern",
    "lead",
    "senior",
    "junior",
    "principal",
    "software",
    "data",
    "profile",
    "summary",
    "contact",
    "experience",
    "education",
    "skills",
    "page",
    "email",
    "e-mail",
    "phone",
    "mobile",
    "address",
    "street",
    "road",
    "avenue",
    "university",
    "administrator",
    "specialist",
    "officer",
];

/// Lower-case words allowed inside a name ("van der", "de la", "bin", …).
const PARTICLES: [&str; 20] = [
    "van", "der", "den", "de", "la", "le", "da", "di", "do", "dos", "das", "del", "della", "von",
    "zu", "bin", "binti", "al", "y", "ter",
];

/// The candidate's name: the first line near the top that reads as a name (2–5 capitalised words of letters,
/// hyphens, apostrophes and initials, allowing "van der"-style particles), or a "Name:" line. A name in capitals
/// is returned in title case ("SEÁN O'BRIEN" → "Seán O'Brien").
pub fn name(text: &str) -> Option<String> {
    let mut seen = 0;
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        if is_heading(line).is_some() && seen > 0 {
            break;
        }
        seen += 1;
        if seen > 10 {
            break;
        }
        let line = line
            .strip_prefix("Name:")
            .or_else(|| line.strip_prefix("Name :"))
            .or_else(|| line.strip_prefix("Nom :"))
            .unwrap_or(line)
            .trim();
        // A header may set the name between an address and the contact details, each in its own cell.
        for cell in line.split('\t') {
            let first = cell
                .split(['|', '•', '·', ',', '–', '—', '/'])
                .next()
                .unwrap_or("")
                .split("  ")
                .next()
                .unwrap_or("")
                .trim();
            if let Some(name) = as_name(first) {
                return Some(name);
            }
        }
    }
    None
}

fn as_name(candidate: &str) -> Option<String> {
    let words: Vec<&str> = candidate.split_whitespace().collect();
    if !(2..=5).contains(&words.len()) || candidate.chars().count() > 60 {
        return None;
    }
    let mut capitalised = 0;
    for word in &words {
        let lower = word.to_lowercase();
        if NOT_NAME_WORDS.contains(&lower.trim_end_matches(['.', ':'])) {
            return None;
        }
        let letters_ok = word
            .chars()
            .all(|c| c.is_alphabetic() || matches!(c, '-' | '\'' | '’' | '.'));
        if !letters_ok || !word.chars().any(char::is_alphabetic) {
            return None;
        }
        if word.chars().next().is_some_and(char::is_uppercase) {
            capitalised += 1;
        } else if !PARTICLES.contains(&lower.as_str()) {
            return None;
        }
    }
    if capitalised < 2 {
        return None;
    }
    let all_caps = !candidate.chars().any(char::is_lowercase);
    if all_caps {
        return Some(
            words
                .iter()
                .map(|w| title_case(w))
                .collect::<Vec<_>>()
                .join(" "),
        );
    }
    Some(words.join(" "))
}

/// "O'BRIEN" → "O'Brien", "JEAN-LUC" → "Jean-Luc".
fn title_case(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    let mut upper_next = true;
    for c in word.chars() {
        if upper_next {
            out.extend(c.to_uppercase());
        } else {
            out.extend(c.to_lowercase());
        }
        upper_next = matches!(c, '-' | '\'' | '’' | '.');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_found_whole() {
        assert_eq!(
            email("Contact: sean.obrien+cv@example.co.uk | +44 7700 900123").as_deref(),
            Some("sean.obrien+cv@example.co.uk")
        );
        assert_eq!(email("write to me @ home, or a@b"), None);
        assert_eq!(
            email("(jane_doe@mail.example.org)."),
            Some("jane_doe@mail.example.org".into())
        );
    }

    #[test]
    fn international_phone_formats() {
        for (text, want) in [
            ("Jane\n+44 7700 900123", "+44 7700 900123"),
            ("ada@example.com | (415) 555-0132 | x", "(415) 555-0132"),
            ("Phone: +81 90-1234-5678", "+81 90-1234-5678"),
            (
                "amara@example.ng · +2348031234567 · Lagos",
                "+2348031234567",
            ),
            ("tel. +48 512 345 678", "+48 512 345 678"),
            ("Mobile: 0151 23456789", "0151 23456789"),
        ] {
            assert_eq!(phone(text).as_deref(), Some(want), "{text}");
        }
        assert_eq!(
            phone("Engineer 2019 - 2021\n01/2018 – 12/2022\nSkills"),
            None
        );
    }

    #[test]
    fn names_with_diacritics_particles_and_capitals() {
        for (text, want) in [
            ("José Müller-García\nData Scientist", "José Müller-García"),
            ("SEÁN O'BRIEN\nEngineering Manager", "Seán O'Brien"),
            ("Zoë van der Merwe\nzoe@example.com", "Zoë van der Merwe"),
            (
                "Nguyễn Thị Minh Anh\nminh@example.vn",
                "Nguyễn Thị Minh Anh",
            ),
            (
                "Curriculum Vitae\nName: Ana-Maria Popescu",
                "Ana-Maria Popescu",
            ),
            (
                "Siobhán O'Connor-Walsh | Cloud Architect",
                "Siobhán O'Connor-Walsh",
            ),
        ] {
            assert_eq!(name(text).as_deref(), Some(want), "{text}");
        }
        assert_eq!(
            name("Senior Software Engineer\nPage 1 of 2\n2019 - 2021"),
            None
        );
    }

    #[test]
    fn a_name_between_address_and_contact_cells_and_year_ranges_are_not_phones() {
        let text = "12 Elm Row, Flat 2\t+44 20 7946 0000\nLeeds LS1 4AB\tMarta K. Nowak\tmarta@example.org";
        assert_eq!(name(text).as_deref(), Some("Marta K. Nowak"));
        assert_eq!(phone("Harbour Pilots– Cork\t1890-1912\n").as_deref(), None);
        let referee_only =
            "Marta Nowak\nSkills\nGo\nReferences\nDr Ada Byron, ada@uni.example, +44 20 7946 0999";
        assert_eq!(email(referee_only), None);
        assert_eq!(phone(referee_only), None);
    }
}
