"""Tests of the deployment files: container, compose, Ray Serve."""
