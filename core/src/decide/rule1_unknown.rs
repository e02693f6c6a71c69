//! Rule 1: an id the manifest does not declare is denied `unknown_subject`; a store
//! that cannot be read, written or trusted denies everything else `store_unavailable`.
//! Unknown ids come first, so an undeclared id is `unknown_subject` even then.
//!
//! Resolving the subject against the manifest is also where the later rules get what
//! they weigh: the purposes, the SDK, the permission and its trigger.

use super::{Context, Decision, Reason, Subject, Trigger};
use crate::manifest::{DataAccess, Permission, Sdk};

/// A declared subject, resolved against the manifest.
pub(super) struct Target<'m> {
    /// The purposes rule 4 weighs: an SDK's or a permission's, or the purpose itself.
    pub(super) purposes: &'m [String],
    /// The SDK rule 5 weighs, for an SDK.
    pub(super) sdk: Option<&'m Sdk>,
    /// The permission rules 2 and 6 weigh, with the prompt's trigger.
    pub(super) permission: Option<(&'m Permission, Trigger)>,
    /// The data access rules 2 and 6 weigh (§9.2), and whether it is in the background.
    pub(super) access: Option<(&'m DataAccess, bool)>,
}

impl<'a> Context<'a> {
    /// The subject as the manifest declares it; `None` (rule 1: `unknown_subject`) when
    /// it does not.
    pub(super) fn resolve(&self, subject: &Subject) -> Option<Target<'a>> {
        let m = self.manifest;
        match subject {
            Subject::Sdk(id) => {
                m.sdk(id).map(|s| Target { purposes: &s.purposes[..], sdk: Some(s), permission: None, access: None })
            }
            Subject::Permission(id, trigger) => m.permission(id).map(|p| Target {
                purposes: &p.purposes[..],
                sdk: None,
                permission: Some((p, *trigger)),
                access: None,
            }),
            Subject::Purpose(id) => m.purpose(id).map(|p| Target {
                purposes: std::slice::from_ref(&p.id),
                sdk: None,
                permission: None,
                access: None,
            }),
            Subject::Access(id, background) => m.data_access(id).map(|a| Target {
                purposes: &a.purposes[..],
                sdk: None,
                permission: None,
                access: Some((a, *background)),
            }),
        }
    }

    /// Whether the manifest declares the subject's id.
    pub fn is_declared(&self, subject: &Subject) -> bool {
        match subject {
            Subject::Sdk(id) => self.manifest.sdk(id).is_some(),
            Subject::Permission(id, _) => self.manifest.permission(id).is_some(),
            Subject::Purpose(id) => self.manifest.purpose(id).is_some(),
            Subject::Access(id, _) => self.manifest.data_access(id).is_some(),
        }
    }

    /// The fail-closed answer when the store cannot be trusted or reached:
    /// `deny store_unavailable`, or `deny unknown_subject` for an undeclared id.
    pub fn unavailable(&self, subject: &Subject) -> Decision {
        let mut d = self.base_in(subject.key(), self.jurisdiction());
        if self.is_declared(subject) {
            d.reason = Reason::StoreUnavailable;
        }
        d
    }
}
