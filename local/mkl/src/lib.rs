//! Links Intel oneMKL's static libraries for CTranslate2; everything happens in `build.rs`.
#![no_std]
