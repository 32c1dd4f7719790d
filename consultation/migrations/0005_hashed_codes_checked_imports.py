"""One-time codes are kept only as a keyed hash: existing codes are hashed in place, so leaflets
already delivered keep working. Imported files keep the result of checking them once."""

from django.db import migrations, models


def hash_existing_codes(apps, schema_editor):
    from consultation.models import code_digest

    AccessCode = apps.get_model("consultation", "AccessCode")
    for code in AccessCode.objects.only("pk", "digest").iterator(chunk_size=2000):
        if len(code.digest) != 64:  # plain text from before this migration
            AccessCode.objects.filter(pk=code.pk).update(digest=code_digest(code.digest))


class Migration(migrations.Migration):

    dependencies = [
        ("consultation", "0004_response_numbers_and_groups"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="accesscode", name="code_unique_in_survey"),
        migrations.RenameField(model_name="accesscode", old_name="code", new_name="digest"),
        migrations.AlterField(model_name="accesscode", name="digest",
                              field=models.CharField(max_length=64)),
        migrations.RunPython(hash_existing_codes, migrations.RunPython.noop, elidable=True),
        migrations.AddConstraint(
            model_name="accesscode",
            constraint=models.UniqueConstraint(fields=("survey", "digest"), name="code_unique_in_survey"),
        ),
        migrations.AddField(model_name="importbatch", name="row_count",
                            field=models.PositiveIntegerField(blank=True, null=True)),
        migrations.AddField(model_name="importbatch", name="problems",
                            field=models.JSONField(blank=True, default=list)),
    ]
