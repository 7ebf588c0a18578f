use thiserror::Error;

/// Why moderation refused an action; the web layer maps these to 422 or 429.
#[derive(Error, Debug, Clone, PartialEq, Eq)]
pub enum ModerationError {
    /// A new member's post has more links than allowed.
    #[error("new members may include at most {max} links in a post (this one has {found})")]
    TooManyLinks { max: usize, found: usize },
    /// A new member's post has more images than allowed.
    #[error("new members may include at most {max} images in a post (this one has {found})")]
    TooManyImages { max: usize, found: usize },
    /// A post mentions more members than the author's trust level allows.
    #[error("you may mention at most {max} members in a post (this one mentions {found})")]
    TooManyMentions { max: usize, found: usize },
    /// The member posted too often within the window.
    #[error("you are posting too fast; try again in {retry_after_secs} seconds")]
    PostingTooFast { retry_after_secs: u64 },
}
