"""Exchange formats: a visit as a FHIR R4 transaction Bundle, and the research
dataset (CSV with a REDCap data dictionary).

Pure standard library, importing only the domain: each module maps domain objects to
plain JSON values or CSV rows. What the store or the report holds (signatures, the
note PDF) comes in from the caller as plain values.
"""
