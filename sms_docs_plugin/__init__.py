"""sms-docs: the controlled documented information of an ISO/IEC 20000-1 SMS, as a MkDocs site.

The document model, rules and history are plain Python; `plugin.SmsDocsPlugin` (MkDocs) and
`cli.main` (`sms-docs`) are the two doors into them.
"""

from .analysis import Analysis, analyse
from .model import DocType, Document, Finding, Status, Version

__version__ = "0.1.0"
__all__ = ["Analysis", "DocType", "Document", "Finding", "Status", "Version", "analyse", "__version__"]
