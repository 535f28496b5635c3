//! Resume text extraction: PDF, DOCX, TXT, and Textract (issue 4).
