//! CV routes: upload-cv, cv-analysis (issue 4).
