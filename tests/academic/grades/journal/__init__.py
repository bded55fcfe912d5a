"""Tests of the electronic journal (TC-2, GB-2, GB-5)."""
