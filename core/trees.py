"""Materialized-path trees: "in my subtree" is one indexed ``path LIKE 'prefix%'`` filter."""

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

SEPARATOR = "/"


class MaterializedPathNode(models.Model):
    """A tree node whose ``path`` is the chain of ``path_segment()`` from the root.

    ``path`` is maintained on save; moving a node rewrites its descendants in one UPDATE.
    """

    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(
        _("tree path"), max_length=512, editable=False, db_index=True, blank=True, default=""
    )
    depth = models.PositiveSmallIntegerField(_("depth"), editable=False, default=0)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        with transaction.atomic():
            old_path = self.path
            if self.pk is None and type(self).path_segment is MaterializedPathNode.path_segment:
                # The segment is the primary key: a first INSERT assigns it.
                super().save(*args, **kwargs)
                args, kwargs = (), {"update_fields": ["path", "depth"]}
            self.path = self.compute_path()
            self.depth = self.path.count(SEPARATOR) - 1
            super().save(*args, **kwargs)
            if old_path and old_path != self.path:
                self._rewrite_descendants(old_path, self.path)

    def clean(self):
        super().clean()
        if self.parent_id and self.pk and self.path and self.parent.path.startswith(self.path):
            raise ValidationError({"parent": gettext("A node cannot be placed under itself.")})

    def path_segment(self) -> str:
        """The node's own segment of the path; must be stable and unique among siblings."""
        return f"{self.pk:08d}"

    def compute_path(self) -> str:
        prefix = self.parent.path if self.parent_id else ""
        return f"{prefix}{self.path_segment()}{SEPARATOR}"

    def is_descendant_of(self, other: "MaterializedPathNode") -> bool:
        return bool(other.path) and self.path.startswith(other.path)

    def ancestors_paths(self) -> list[str]:
        parts = [p for p in self.path.split(SEPARATOR) if p]
        return [SEPARATOR.join(parts[: i + 1]) + SEPARATOR for i in range(len(parts) - 1)]

    def subtree(self):
        return type(self)._default_manager.filter(path__startswith=self.path)

    def _rewrite_descendants(self, old_prefix: str, new_prefix: str) -> None:
        delta = new_prefix.count(SEPARATOR) - old_prefix.count(SEPARATOR)
        type(self)._default_manager.filter(path__startswith=old_prefix).exclude(pk=self.pk).update(
            path=Concat(Value(new_prefix), Substr(F("path"), len(old_prefix) + 1)),
            depth=F("depth") + delta,
        )
