//! The two optional segments that are nothing but a vendor section: disclosed vendors
//! (`SegmentType` 1, the vendors the CMP showed the user; mandatory since TCF v2.3) and
//! allowed vendors (`SegmentType` 2, the out-of-band vendors a publisher allowed; retired
//! with global scope in 2021 but still found in older strings, so still read).

use super::bits::{BitReader, BitWriter};
use super::error::{EncodeError, SegmentKind, TcfError};
use super::vendor_set::VendorSet;
use super::vendors;

/// Reads the vendor section that follows the segment's `SegmentType`.
pub(crate) fn read(r: &mut BitReader<'_>) -> Result<VendorSet, TcfError> {
    vendors::read_section(r, "vendor list")
}

/// Writes a whole segment of `kind` (its `SegmentType`, then the vendor section).
pub(crate) fn write(w: &mut BitWriter, kind: SegmentKind, set: &VendorSet) -> Result<(), EncodeError> {
    w.write(kind.segment_type().into(), 3);
    let field = match kind {
        SegmentKind::AllowedVendors => "allowed vendors",
        _ => "disclosed vendors",
    };
    vendors::write_section(w, set, field)
}
