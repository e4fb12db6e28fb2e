"""The embedded demo: local mail servers, realistic sample submissions, the whole product."""
