"""Records: pydantic models, the YAML loader, the topic vocabulary and the cross-record checks."""
