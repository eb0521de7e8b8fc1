"""Item pipelines, thin and ordered: validate → dedup → store."""

from newsarchive.pipelines.dedup import DedupPipeline
from newsarchive.pipelines.store import StorePipeline
from newsarchive.pipelines.validate import ValidatePipeline

__all__ = ["DedupPipeline", "StorePipeline", "ValidatePipeline"]
