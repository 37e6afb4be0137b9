"""Request and response bodies of API v1, declared once as pydantic models.

The routes validate with them and the OpenAPI document is generated from them.
"""
