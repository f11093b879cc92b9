"""A test-only transport node for osmem-server.

The elasticsearch 8 client sends a vendor media type
(application/vnd.elasticsearch+json; compatible-with=8) that osmem answers with 406; this node
sends plain application/json instead. Production talks to a real cluster with the default node.
"""

from elastic_transport import Urllib3HttpNode


class PlainJsonNode(Urllib3HttpNode):
    def perform_request(self, method, target, body=None, request_timeout=None, headers=None):
        headers = dict(headers or {})
        for name in list(headers):
            if name.lower() in ("accept", "content-type"):
                headers[name] = "application/json"
        return super().perform_request(
            method, target, body=body, request_timeout=request_timeout, headers=headers
        )
