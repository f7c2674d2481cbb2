"""Deployment: Docker files, Prometheus config and the Ray Serve application (`python -m deploy.ray_serve`)."""
