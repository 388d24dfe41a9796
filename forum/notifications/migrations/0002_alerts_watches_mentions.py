"""Alerts gain a kind, who did it, where (thread, post) and what they gather while
unread; watches, preferences and quotes arrive. The alerts moved here from
moderation keep their words and links as moderation alerts, their times, and
count in their members' new unread counts."""

import django.contrib.postgres.fields
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0005_unread_alert_count'),
        ('notifications', '0001_initial'),
        ('posts', '0005_addon_data'),
        ('threads', '0003_move_models'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='ForumWatch',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('mode', models.CharField(choices=[('threads', 'New threads'), ('posts', 'New threads and every reply')], default='threads', max_length=10)),
                ('email', models.BooleanField(default=False)),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
            ],
        ),
        migrations.CreateModel(
            name='Preferences',
            fields=[
                ('user', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='+', serialize=False, to=settings.AUTH_USER_MODEL)),
                ('watch_started', models.BooleanField(default=True, verbose_name='Watch threads I start')),
                ('watch_replied', models.BooleanField(default=True, verbose_name='Watch threads I reply to')),
                ('watch_email', models.BooleanField(default=False, verbose_name='…and e-mail me about their replies')),
                ('email_mentions', models.BooleanField(default=False, verbose_name='E-mail me when I am quoted or mentioned')),
                ('digest', models.CharField(choices=[('off', 'Send each e-mail as it happens'), ('daily', 'One daily digest instead'), ('weekly', 'One weekly digest instead')], default='off', max_length=10, verbose_name='E-mail delivery')),
                ('last_digest_at', models.DateTimeField(blank=True, editable=False, null=True)),
            ],
            options={
                'verbose_name_plural': 'preferences',
            },
        ),
        migrations.CreateModel(
            name='Quote',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('state', models.CharField(blank=True, choices=[('', 'As quoted'), ('edited', 'Edited since'), ('removed', 'Removed since')], default='', max_length=10)),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
            ],
        ),
        migrations.CreateModel(
            name='ThreadWatch',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('email', models.BooleanField(default=False)),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
            ],
        ),
        migrations.AlterModelOptions(
            name='alert',
            options={'ordering': ['-updated_at', '-id']},
        ),
        migrations.RemoveIndex(
            model_name='alert',
            name='alert_user_idx',
        ),
        migrations.AddField(
            model_name='alert',
            name='actor',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='alert',
            name='actor_name',
            field=models.CharField(blank=True, max_length=50),
        ),
        migrations.AddField(
            model_name='alert',
            name='actors',
            field=django.contrib.postgres.fields.ArrayField(base_field=models.BigIntegerField(), blank=True, default=list, size=None),
        ),
        migrations.AddField(
            model_name='alert',
            name='count',
            field=models.IntegerField(default=1),
        ),
        migrations.AddField(
            model_name='alert',
            name='emailed_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='alert',
            name='kind',
            field=models.CharField(choices=[('reply', 'Replies in a watched thread or forum'), ('thread', 'New threads in a watched forum'), ('quote', 'Quotes of your posts'), ('mention', 'Mentions of you'), ('reaction', 'Reactions to your posts'), ('moderation', 'Moderation')], default='moderation', max_length=20),
        ),
        migrations.AddField(
            model_name='alert',
            name='position',
            field=models.IntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='alert',
            name='post',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='posts.post'),
        ),
        migrations.AddField(
            model_name='alert',
            name='thread',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='threads.thread'),
        ),
        migrations.AddField(
            model_name='alert',
            name='updated_at',
            field=models.DateTimeField(default=django.utils.timezone.now),
        ),
        migrations.AlterField(
            model_name='alert',
            name='text',
            field=models.CharField(blank=True, max_length=500),
        ),
        migrations.AddIndex(
            model_name='alert',
            index=models.Index(fields=['user', '-updated_at'], name='alert_user_idx'),
        ),
        migrations.AddConstraint(
            model_name='alert',
            constraint=models.UniqueConstraint(condition=models.Q(('read_at__isnull', True)), fields=('user', 'thread', 'kind'), name='alert_unread_once'),
        ),
        migrations.AddField(
            model_name='forumwatch',
            name='node',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='threads.node'),
        ),
        migrations.AddField(
            model_name='forumwatch',
            name='user',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='quote',
            name='post',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='posts.post'),
        ),
        migrations.AddField(
            model_name='quote',
            name='quoted',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='posts.post'),
        ),
        migrations.AddField(
            model_name='threadwatch',
            name='thread',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='threads.thread'),
        ),
        migrations.AddField(
            model_name='threadwatch',
            name='user',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddIndex(
            model_name='forumwatch',
            index=models.Index(fields=['node', 'user'], name='watch_forum_idx'),
        ),
        migrations.AddConstraint(
            model_name='forumwatch',
            constraint=models.UniqueConstraint(fields=('user', 'node'), name='watch_forum_once'),
        ),
        migrations.AddIndex(
            model_name='quote',
            index=models.Index(fields=['quoted', 'post'], name='quote_quoted_idx'),
        ),
        migrations.AddConstraint(
            model_name='quote',
            constraint=models.UniqueConstraint(fields=('post', 'quoted'), name='quote_once'),
        ),
        migrations.AddIndex(
            model_name='threadwatch',
            index=models.Index(fields=['thread', 'user'], name='watch_thread_idx'),
        ),
        migrations.AddConstraint(
            model_name='threadwatch',
            constraint=models.UniqueConstraint(fields=('user', 'thread'), name='watch_thread_once'),
        ),
        migrations.RunSQL(
            "UPDATE notifications_alert SET updated_at = created_at",
            migrations.RunSQL.noop,
        ),
        migrations.RunSQL(
            "UPDATE accounts_user u SET unread_alert_count = c.n FROM ("
            " SELECT user_id, count(*) AS n FROM notifications_alert"
            " WHERE read_at IS NULL GROUP BY user_id) c WHERE u.id = c.user_id",
            migrations.RunSQL.noop,
        ),
    ]
