//! What `lint` warns about in a valid manifest (issue 13, defect 6): values that are
//! allowed but mean nothing, so the author probably meant something else. A warning
//! never makes a manifest invalid (a manifest that parsed before still parses).

use super::{Manifest, ManifestIssue};

/// Every warning about `manifest`, in document order, each with its JSON pointer.
pub fn warnings(manifest: &Manifest) -> Vec<ManifestIssue> {
    let mut out = Vec::new();
    for (i, p) in manifest.purposes.iter().enumerate() {
        if p.sensitive && !p.basis.rests_on_choice() {
            out.push(ManifestIssue {
                path: format!("/purposes/{i}/sensitive"),
                message: format!(
                    "`sensitive: true` has no effect on purpose `{}`: its basis {} is met by accepting \
                     the policy, so no separate grant is ever asked for; give it basis consent if it \
                     needs one",
                    p.id,
                    p.basis.as_str()
                ),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::parse;
    use super::super::tests::*;
    use super::*;

    #[test]
    fn sensitive_is_flagged_where_it_means_nothing() {
        let mut manifest = minimal();
        assert!(warnings(&parse(&manifest.to_string()).unwrap()).is_empty());
        manifest["purposes"][0]["basis"] = json!("contract");
        manifest["purposes"][0]["sensitive"] = json!(true);
        let found = warnings(&parse(&manifest.to_string()).expect("still valid"));
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].path, "/purposes/0/sensitive");
        manifest["purposes"][0]["basis"] = json!("consent");
        assert!(warnings(&parse(&manifest.to_string()).unwrap()).is_empty());
    }
}
