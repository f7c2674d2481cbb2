"""The evidence a response gives: claims against the case, option reasons, guards and behaviours."""
