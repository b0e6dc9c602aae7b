//! A file attached to a record, kept offline inside the record as a `data:` URL and sent with it
//! to backends that store the field: a service ticket's photos (JPEG or PNG, downscaled on the
//! device) and a deal's documents — the quote, a drawing, a specification (PDF, image, Word or
//! Excel). A `data:` URL keeps the record one JSON value (the cache, the outbox, the merge and
//! the REST mapping need nothing new), at the price of a size cap: [`MAX_ATTACHMENT_BYTES`].

use serde::{Deserialize, Serialize};

/// A named file as a `data:<type>;base64,<bytes>` URL.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attachment {
    #[serde(default)]
    pub name: String,
    pub data_url: String,
}

/// Bytes of one attachment's `data:` URL (about 1.5 MB of file).
pub const MAX_ATTACHMENT_BYTES: usize = 2_000_000;
/// Documents per deal.
pub const MAX_DOCUMENTS: usize = 6;
/// The largest file whose `data:` URL fits [`MAX_ATTACHMENT_BYTES`] with room for its type
/// (1,499,850 bytes, shown as 1.4 MB): a bigger one is refused before it is read.
pub const MAX_DOCUMENT_FILE_BYTES: usize = (MAX_ATTACHMENT_BYTES - 200) / 4 * 3;

/// The types a deal's document may have: PDF, JPEG, PNG, Word and Excel (old and new formats).
pub const DOCUMENT_TYPES: [&str; 7] = [
    "application/pdf",
    "image/jpeg",
    "image/png",
    "application/msword",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.ms-excel",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
];

impl Attachment {
    /// The media type and the base64 text, when the URL is a well-formed base64 `data:` URL
    /// within the size cap.
    fn parts(&self) -> Option<(&str, &str)> {
        let d = &self.data_url;
        if d.len() > MAX_ATTACHMENT_BYTES {
            return None;
        }
        let (head, body) = d.strip_prefix("data:")?.split_once(',')?;
        let mime = head.strip_suffix(";base64")?;
        let ok = !body.is_empty() && body.bytes().all(|c| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'/' | b'='));
        ok.then_some((mime, body))
    }

    /// The file's media type (`application/pdf`), if the URL is well formed.
    pub fn mime(&self) -> Option<&str> {
        self.parts().map(|(m, _)| m)
    }

    /// A ticket's photo: a JPEG or PNG.
    pub fn is_photo(&self) -> bool {
        matches!(self.mime(), Some("image/jpeg" | "image/png"))
    }

    /// A deal's document: one of [`DOCUMENT_TYPES`].
    pub fn is_document(&self) -> bool {
        self.mime().is_some_and(|m| DOCUMENT_TYPES.contains(&m))
    }

    /// The file's size in bytes (from the base64 text's length), if the URL is well formed.
    pub fn size(&self) -> Option<usize> {
        let (_, body) = self.parts()?;
        let pad = body.bytes().rev().take_while(|&c| c == b'=').count();
        Some((body.len() / 4 * 3).saturating_sub(pad.min(2)))
    }
}

/// The media type of a document from its file name, for files the browser gives no type
/// (spreadsheets on some tablets): by extension, else `None`.
pub fn document_type_of(name: &str) -> Option<&'static str> {
    let ext = name.rsplit_once('.')?.1.to_ascii_lowercase();
    Some(match ext.as_str() {
        "pdf" => "application/pdf",
        "jpg" | "jpeg" => "image/jpeg",
        "png" => "image/png",
        "doc" => "application/msword",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xls" => "application/vnd.ms-excel",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _ => return None,
    })
}
