//! Where a value of the manifest is: its JSON pointer (RFC 6901), worked out only for a
//! value that is reported or remembered for the cross-checks, and its position in the
//! document, by which issues are sorted.

/// Where a value is: the step that leads to it from its parent's location, which lives
/// in the caller's frame. Nothing is built while the manifest is read; a [`Place`]
/// (the JSON pointer and the position) is worked out only for a value that is
/// reported or remembered for the cross-checks.
#[derive(Debug, Clone, Copy)]
pub(super) struct Loc<'p> {
    parent: Option<&'p Loc<'p>>,
    step: Step<'p>,
}

#[derive(Debug, Clone, Copy)]
enum Step<'p> {
    /// The whole document.
    Root,
    /// The member `key`, the `position`-th member of its object.
    Member(&'p str, usize),
    /// The `index`-th element of an array.
    Element(usize),
    /// The absent member `key`: reported at its own path (`/purposes/2/title`),
    /// ordered after the object's other members.
    Missing(&'p str),
}

impl<'p> Loc<'p> {
    pub(super) const ROOT: Loc<'static> = Loc { parent: None, step: Step::Root };

    pub(super) fn member<'s>(&'s self, key: &'s str, position: usize) -> Loc<'s> {
        Loc { parent: Some(self), step: Step::Member(key, position) }
    }

    pub(super) fn element(&self, index: usize) -> Loc<'_> {
        Loc { parent: Some(self), step: Step::Element(index) }
    }

    pub(super) fn missing<'s>(&'s self, key: &'s str) -> Loc<'s> {
        Loc { parent: Some(self), step: Step::Missing(key) }
    }

    /// The JSON pointer and document position of this location.
    pub(super) fn place(&self) -> Place {
        let mut steps = Vec::new();
        let mut at = Some(self);
        while let Some(loc) = at {
            steps.push(loc.step);
            at = loc.parent;
        }
        let mut place = Place::default();
        for step in steps.iter().rev() {
            match *step {
                Step::Root => {}
                Step::Member(key, position) => place.push_key(key, position),
                Step::Element(index) => {
                    place.pointer.push('/');
                    place.pointer.push_str(&index.to_string());
                    place.order.push(index);
                }
                Step::Missing(key) => place.push_key(key, usize::MAX),
            }
        }
        place
    }
}

/// A location worked out: its JSON pointer, and its position in the document (the
/// index of each member or element on the way down), by which issues are sorted.
#[derive(Debug, Clone, Default)]
pub(super) struct Place {
    pub(super) pointer: String,
    pub(super) order: Vec<usize>,
}

impl Place {
    /// Appends a member's reference token (`~` and `/` escaped, RFC 6901).
    fn push_key(&mut self, key: &str, position: usize) {
        self.pointer.push('/');
        for c in key.chars() {
            match c {
                '~' => self.pointer.push_str("~0"),
                '/' => self.pointer.push_str("~1"),
                c => self.pointer.push(c),
            }
        }
        self.order.push(position);
    }
}

/// A string from the manifest and where it was found.
#[derive(Debug, Clone)]
pub(super) struct Located {
    pub(super) value: String,
    pub(super) place: Place,
}

impl Located {
    /// `value` found at `loc`; without working out where that is, with `skip_place`.
    pub(super) fn new(value: &str, loc: &Loc, skip_place: bool) -> Self {
        Located { value: value.to_owned(), place: if skip_place { Place::default() } else { loc.place() } }
    }
}
