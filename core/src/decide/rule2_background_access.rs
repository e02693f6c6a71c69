//! Rule 2 for data access (§9.2, 164号文 1.2): a read of sensitive data in the
//! background, of data the manifest marks `foreground_only` (the default), is denied
//! `background_access`. Like rule 2 for permissions it applies before the policy gate:
//! a background read of such data is never right.

use super::{Context, Reason};
use crate::manifest::DataAccess;

impl Context<'_> {
    /// Rule 2 for a read of `access`, in the background when `background`.
    pub(super) fn background_gate(&self, access: &DataAccess, background: bool) -> Option<Reason> {
        (background && access.foreground_only).then_some(Reason::BackgroundAccess)
    }
}
