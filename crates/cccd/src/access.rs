//! Access control: EF.CardAccess SecurityInfos, BAC and PACE (reader side).
