"""HTTP routers; `reward_service.app.create_app` includes every router listed in `ROUTERS`."""
