// The UI's own labels, Japanese first and English second. Sentences the
// backend owns (errors, the disclosure notice, PIN names and rules) come
// from backend/i18n through the API in the language chosen here.

export type Lang = 'ja' | 'en';

export const ui = $state({ lang: 'ja' as Lang });

const dict: Record<string, [string, string]> = {
  'app.title': ['署名 Shomei', 'Shomei'],
  'app.screen.failed': ['この画面を読み込めませんでした。Shomei が動いているか確かめてから、もう一度開いてください。', 'This screen could not be loaded. Check that Shomei is running, then open it again.'],
  'nav.card': ['カード', 'Card'],
  'nav.pin': ['暗証番号の変更', 'Change PIN'],
  'nav.sign': ['署名する', 'Sign'],
  'nav.verify': ['検証する', 'Verify'],
  'nav.history': ['履歴', 'History'],
  'nav.settings': ['設定', 'Settings'],
  'nav.consent': ['同意', 'Consent'],
  'nav.application': ['電子申請', 'E-application'],
  'nav.counter': ['窓口モード', 'Counter mode'],
  'nav.label': ['画面', 'Screens'],
  'test.banner': ['テストカード — 本番では使えません', 'TEST CARD — not for production'],
  'tag.test': ['テスト用', 'TEST'],

  'card.title': ['カードの状態', 'Card status'],
  'card.reader': ['カードリーダー', 'Card reader'],
  'card.reader.auto': ['自動（カードのあるリーダー）', 'Automatic (the reader holding a card)'],
  'card.reader.card': ['カードあり', 'card present'],
  'card.reader.empty': ['カードなし', 'empty'],
  'card.reader.none': ['カードリーダーが見つかりません。', 'No card reader found.'],
  'card.refresh': ['再読み込み', 'Refresh'],
  'card.loading': ['カードを読み取っています…', 'Reading the card…'],
  'card.kind': ['カードの種類', 'Card'],
  'card.auth': ['利用者証明用電子証明書', 'User-authentication certificate'],
  'card.signcert': ['署名用電子証明書', 'Signing certificate'],
  'card.signcert.unknown': ['署名用電子証明書は暗証番号を入力したあとにしか読めません。署名するとここに表示されます。', 'The signing certificate can only be read after the signing password is entered. It shows here once you sign.'],
  'card.signcert.none': ['このカードには署名用電子証明書がありません。', 'This card has no signing certificate.'],
  'card.holder': ['氏名', 'Holder'],
  'card.valid': ['有効期間', 'Valid'],
  'card.until': ['{0} まで', 'until {0}'],
  'card.days': ['残り {0} 日', '{0} days left'],
  'card.expired': ['期限切れ', 'EXPIRED'],
  'card.expiring': ['まもなく期限切れです。更新の手続きをご確認ください。', 'Expires soon. Check how to renew it.'],
  'card.pins': ['暗証番号の残り回数', 'PIN tries left'],
  'card.pins.note': ['残り回数は試行を使わずに読み取っています。', 'Tries left are read without using a try.'],
  'card.tries': ['残り {0} / {1} 回', '{0} of {1} tries left'],
  'card.locked': ['ロック中', 'LOCKED'],
  'card.locked.note': ['初期化・再設定が必要です。', 'It must be reset.'],
  'card.absent': ['このカードにはありません', 'not on this card'],
  'card.lasttry': ['残り 1 回: 次に間違えるとロックされます', '1 try left: the next mistake locks it'],
  'card.change': ['変更する', 'Change'],
  'card.test': ['テストカード（仮想カード）です。本番の署名には使えません。', 'This is a test (virtual) card. Its signatures are not valid for real use.'],

  'pin.title': ['暗証番号の変更', 'Change a PIN'],
  'pin.which': ['変更する暗証番号', 'PIN to change'],
  'pin.rules': ['形式', 'Format'],
  'pin.current': ['現在の暗証番号', 'Current PIN'],
  'pin.new': ['新しい暗証番号', 'New PIN'],
  'pin.again': ['新しい暗証番号（確認）', 'New PIN again'],
  'pin.mismatch': ['新しい暗証番号が一致しません。', 'The new PINs do not match.'],
  'pin.format': ['形式が正しくありません: {0}', 'Wrong format: {0}'],
  'pin.submit': ['変更する', 'Change PIN'],
  'pin.done': ['暗証番号を変更しました。', 'The PIN was changed.'],
  'pin.juki': ['住民基本台帳用暗証番号は市区町村の窓口で変更します。', 'The 住基 PIN is changed at the municipal counter.'],

  'entry.tries': ['残り {0} / {1} 回', '{0} of {1} tries left'],
  'entry.locked': ['この暗証番号はロックされています。入力できません。', 'This PIN is locked. It cannot be entered.'],
  'entry.lasttry': ['残り 1 回です。間違えるとロックされ、初期化・再設定が必要になります。', 'One try left. A mistake locks the PIN and it must then be reset.'],
  'entry.confirm': ['残り 1 回であることを理解し、入力します', 'I understand only one try is left, and go on'],
  'entry.show': ['表示', 'Show'],
  'entry.nocard': ['カードの状態を読み取ってから入力できます。', 'The card state must be read first.'],

  'sign.title': ['ファイルに署名する', 'Sign files'],
  'sign.dest': ['署名した書類の提出先', 'Where the signed document goes'],
  'sign.dest.touki': ['登記・供託オンライン申請', 'Online registration (登記・供託オンライン申請)'],
  'sign.dest.touki.help': ['法務省の登記・供託の申請に添付する PDF です。法務省が受け付ける形式で署名します。', 'A PDF attached to a registration filed with the Ministry of Justice, signed in the form the Ministry accepts.'],
  'sign.dest.touki.note': ['登記申請用の署名にはタイムスタンプを付けません。後から別の人も連署できます。', 'A signature for registration filing carries no timestamp; others can countersign later.'],
  'sign.dest.egov': ['e-Gov 電子申請', 'e-Gov application'],
  'sign.dest.egov.help': ['e-Gov の申請フォルダ（構成管理ファイルと申請書のファイル）にまとめて署名します。', 'Signs an e-Gov application folder (the manifest and the application files) as a whole.'],
  'sign.dest.egov.go.text': ['e-Gov の申請は「電子申請」画面で、申請フォルダー（または圧縮ファイル）ごと署名します。', 'e-Gov applications are signed as a whole folder (or ZIP) on the e-application screen.'],
  'sign.dest.egov.go': ['電子申請の画面へ', 'Go to the e-application screen'],
  'sign.dest.other': ['その他', 'Anywhere else'],
  'sign.dest.other.help': ['相手先の指定がない書類です。', 'A document with no format required by its recipient.'],
  'sign.kind': ['何に署名しますか', 'What are you signing?'],
  'sign.kind.pdf': ['PDF に署名', 'Sign a PDF'],
  'sign.kind.pdf.help': ['署名を PDF の中に入れます。見える署名（スタンプ）も付けられます。', 'The signature goes inside the PDF. A visible stamp can be added.'],
  'sign.kind.other': ['その他のファイル', 'Another file'],
  'sign.kind.other.help': ['どんなファイルにも署名できます。署名は別のファイル（.p7s）に保存されるので、元のファイルと一緒に渡します。', 'Any file can be signed. The signature is saved in a separate file (.p7s), handed over together with the original.'],
  'sign.drop': ['署名するファイルをここにドロップ', 'Drop the files to sign here'],
  'sign.drop.pdf': ['署名する PDF をここにドロップ', 'Drop the PDFs to sign here'],
  'sign.choose': ['ファイルを選ぶ', 'Choose files'],
  'sign.files': ['署名するファイル', 'Files to sign'],
  'sign.remove': ['外す', 'Remove'],
  'sign.notpdf': ['PDF ではありません', 'not a PDF'],
  'sign.state.done': ['署名済み', 'signed'],
  'sign.uploading': ['読み込み中… {0}', 'Loading… {0}'],
  'sign.preview': ['プレビュー', 'Preview'],
  'sign.preview.none': ['PDF を選ぶと内容が表示されます。', 'Choose a PDF to see it.'],
  'sign.preview.large': ['ファイルが大きいためプレビューしません。', 'Too large to preview.'],
  'sign.preview.failed': ['この PDF は表示できません。', 'This PDF cannot be shown.'],
  'sign.preview.page': ['{0} / {1} ページ', 'Page {0} of {1}'],
  'sign.preview.prev': ['前のページ', 'Previous page'],
  'sign.preview.next': ['次のページ', 'Next page'],
  'sign.stamp': ['この PDF に見える署名（スタンプ）を付ける', 'Add a visible stamp to this PDF'],
  'sign.stamp.help': ['プレビューのページをクリックすると、その位置にスタンプを置きます。', 'Click on the preview page to place the stamp there.'],
  'sign.stamp.at': ['{0} ページ目に置きました。別の場所をクリックすると置き直せます。', 'Placed on page {0}. Click elsewhere to move it.'],
  'sign.stamp.unset': ['プレビューのページをクリックして、スタンプの位置を選んでください。', 'Click on the preview page to choose where it goes.'],
  'sign.stamp.keys': ['矢印キーで動かせます。', 'Arrow keys move it.'],
  'sign.stamp.tag': ['スタンプ: {0} ページ目', 'stamp: page {0}'],
  'sign.stamp.box': ['署名', 'Signature'],
  'sign.advanced': ['詳細設定', 'Advanced settings'],
  'sign.advanced.note': ['ふつうは変える必要はありません。', 'Most people need not change these.'],
  'sign.timestamp': ['タイムスタンプを付ける（署名した時刻を第三者が証明します）', 'Add a timestamp (a third party proves when it was signed)'],
  'sign.timestamp.notsa': ['タイムスタンプを付けるには、設定でタイムスタンプサーバーを指定してください。', 'To add a timestamp, set a timestamp server in the settings.'],
  'sign.certify': ['署名の種類', 'Kind of signature'],
  'sign.certify.none': ['ふつうの署名（あとから他の人も署名できます）', 'An ordinary signature (others can sign after you)'],
  'sign.certify.no-changes': ['作成者として証明し、以後の変更を認めない', 'Certify as the author: no changes afterwards'],
  'sign.certify.form-filling': ['作成者として証明し、フォーム入力と署名だけを認める', 'Certify as the author: only form filling and signatures afterwards'],
  'sign.certify.annotations': ['作成者として証明し、フォーム入力・署名・注釈を認める', 'Certify as the author: form filling, signatures and comments afterwards'],
  'sign.enveloping': ['ファイルを署名の中に含め、1 つのファイル（.p7m）にする', 'Put the file inside the signature, as one file (.p7m)'],
  'sign.technical': ['技術的な名前', 'Technical names'],
  'sign.technical.pdf': ['PAdES ベースライン B-B（タイムスタンプ付きは B-T）。作成者としての証明は DocMDP。', 'PAdES baseline B-B (B-T with a timestamp). Certification is DocMDP.'],
  'sign.technical.other': ['CMS SignedData（CAdES-BES の属性付き）。.p7s は分離署名、.p7m は内包署名。タイムスタンプは RFC 3161（B-T）。', 'CMS SignedData with CAdES-BES attributes: .p7s detached, .p7m enveloping; the timestamp is RFC 3161 (B-T).'],
  'sign.reason': ['理由（任意）', 'Reason (optional)'],
  'sign.location': ['場所（任意）', 'Location (optional)'],
  'sign.overwrite': ['既存のファイルを置き換える', 'Replace existing files'],
  'sign.disclosure': ['ご確認ください', 'Please read'],
  'sign.accept': ['内容を理解しました', 'I understand'],
  'sign.password': ['署名用電子証明書の暗証番号', 'Signing password'],
  'sign.submit': ['{0} 件に署名する', 'Sign {0} files'],
  'sign.submit.none': ['署名する', 'Sign'],
  'sign.cancel': ['中止', 'Cancel'],
  'sign.progress': ['{0} / {1} 件', '{0} of {1}'],
  'sign.current': ['署名中: {0}', 'Signing: {0}'],
  'sign.results': ['結果', 'Results'],
  'sign.summary': ['{1} 件中 {0} 件に署名しました。', 'Signed {0} of {1} files.'],
  'sign.download': ['ダウンロード', 'Download'],
  'sign.reveal': ['フォルダーで表示', 'Show in folder'],
  'sign.verify': ['検証する', 'Verify'],
  'sign.again': ['新しく始める', 'Start again'],
  'sign.kept': ['署名したファイルは次のフォルダーにも保存されています:', 'Signed files are also kept in this folder:'],
  'sign.need': ['署名するには: ', 'To sign: '],
  'sign.need.files': ['ファイルを追加', 'add files'],
  'sign.need.notpdf': ['PDF でないファイルを外すか「その他のファイル」を選ぶ', 'remove the files that are not PDFs, or choose "Another file"'],
  'sign.need.accept': ['注意事項を確認', 'read the notice'],
  'sign.need.pin': ['暗証番号を入力', 'enter the password'],
  'sign.need.stamp': ['スタンプを付ける PDF でその位置を選ぶ', 'place the stamp on the PDFs that get one'],
  'sign.need.card': ['カードを置く', 'insert the card'],

  'verify.title': ['署名を検証する', 'Verify signatures'],
  'verify.touki': ['登記・供託オンライン申請', 'Registration filing'],
  'verify.drop': ['署名されたファイル（PDF、.p7s、.p7m）をここにドロップ', 'Drop signed files (PDF, .p7s, .p7m) here'],
  'verify.data': ['.p7s の元のファイルも一緒に追加してください（同じ名前の前の部分で対応づけます）。', 'Add the original file of a .p7s too (matched by name).'],
  'verify.running': ['検証中…', 'Verifying…'],
  'verify.nosig': ['署名が見つかりません。', 'No signature found.'],
  'verify.sig': ['署名 {0}', 'Signature {0}'],
  'verify.ts': ['文書タイムスタンプ {0}', 'Document timestamp {0}'],
  'verify.PASSED': ['有効', 'Valid'],
  'verify.FAILED': ['無効', 'Invalid'],
  'verify.INDETERMINATE': ['確認できません', 'Cannot be confirmed'],
  'verify.details': ['詳細', 'Details'],
  'verify.signer': ['署名者', 'Signer'],
  'verify.time': ['署名時刻（申告）', 'Signing time (claimed)'],
  'verify.timestamp': ['タイムスタンプ', 'Timestamp'],
  'verify.anchor': ['信頼の起点', 'Trust anchor'],
  'verify.anchor.test': ['テスト用の信頼の起点です（本番では無効）', 'a test trust anchor (not valid for real use)'],
  'verify.revocation': ['失効確認', 'Revocation'],
  'verify.revocation.not_checked': ['確認していません', 'not checked'],
  'verify.revocation.good': ['失効していません', 'not revoked'],
  'verify.revocation.revoked': ['失効しています', 'revoked'],
  'verify.revocation.unknown': ['判断できません', 'cannot tell'],
  'verify.anchor.none': ['なし（信頼の起点につながりません）', 'none (no trust anchor reached)'],
  'verify.change.other': ['文書の内容が変更されました', 'document content changed'],
  'verify.technical': ['技術情報（検証器のコード）', "Technical details (the verifier's codes)"],
  'verify.problems': ['問題', 'Problems'],
  'verify.warnings': ['注意', 'Warnings'],
  'verify.unreadable': ['このファイルは検証できませんでした（壊れている、署名のファイルではない、署名の対象のファイルが一緒にない、など）。', 'This file could not be verified (damaged, not a signature file, or the signed file was not added with it).'],
  'verify.intact': ['改ざんなし（完全性）', 'Intact'],
  'verify.coverage': ['ファイル全体に対する署名', 'Covers the whole file'],
  'verify.coverage.part': ['この署名のあとに変更があります（署名は一部のみを対象）', 'The file was changed after this signature (it covers part of the file)'],
  'verify.changes': ['署名後の変更', 'Changes after signing'],
  'verify.changes.none': ['なし', 'none'],
  'verify.changes.allowed': ['許可された変更のみ', 'allowed changes only'],
  'verify.changes.disallowed': ['許可されていない変更あり', 'disallowed changes'],
  'verify.changes.unknown': ['確かめられません', 'cannot be confirmed'],
  'verify.render.title': ['署名したときと今の表示の違い', 'What was signed and what shows now'],
  'verify.render.intro': ['署名のあとで見た目が変わったページがあります。左が署名された版、右が今の表示です。赤い枠が違う場所です。', 'A page looks different since it was signed. Left: the signed version; right: what shows now. The red frame marks the difference.'],
  'verify.render.page': ['{0} ページ目', 'Page {0}'],
  'verify.render.signed': ['署名された版', 'As signed'],
  'verify.render.now': ['今の表示', 'As it shows now'],
  'verify.render.absent': ['この版にはこのページがありません。', 'This version has no such page.'],
  'verify.render.loading': ['ページを描いています…', 'Drawing the page…'],
  'verify.render.same': ['全 {0} ページを描いて比べました。署名したときと同じ表示です（許された変更の場所を除く）。', 'All {0} pages were drawn and compared: they look as signed (apart from the allowed changes).'],
  'verify.render.unavailable': ['ページを描いて比べることができませんでした。署名したときと同じ表示か確かめられません。', 'The pages could not be drawn and compared: whether they look as signed cannot be confirmed.'],
  'verify.render.compare': ['表示の比較', 'Rendering comparison'],
  'verify.show': ['署名された内容を表示', 'Show what was signed'],
  'verify.yes': ['はい', 'yes'],
  'verify.no': ['いいえ', 'no'],
  'verify.sha256': ['SHA-256', 'SHA-256'],
  'verify.unavailable': ['この版には検証機能がまだありません。', 'Verification is not in this build yet.'],

  'history.title': ['履歴', 'History'],
  'history.chain.ok': ['✔ 履歴のハッシュ連鎖を確認しました。', "✔ The history's hash chain verifies."],
  'history.chain.bad': ['✖ 履歴のハッシュ連鎖が一致しません。', "✖ The history's hash chain does not verify."],
  'history.head': ['最新のハッシュ', 'Head hash'],
  'history.more': ['表示しきれない古い記録があります。条件で絞り込んでください。', 'older records are not shown: narrow the filter.'],
  'history.filter.op': ['操作', 'Operation'],
  'history.filter.result': ['結果', 'Result'],
  'history.filter.text': ['ファイル名など', 'File name etc.'],
  'history.filter.from': ['開始日', 'From'],
  'history.filter.to': ['終了日', 'To'],
  'history.filter.all': ['すべて', 'All'],
  'history.filter.ok': ['成功', 'Succeeded'],
  'history.filter.example': ['例: 2026-04-01', 'e.g. 2026-04-01'],
  'history.filter.baddate': ['日付は 2026-04-01 のように、年-月-日で入力してください。', 'Enter dates as year-month-day, like 2026-04-01.'],
  'history.apply': ['絞り込む', 'Filter'],
  'history.export': ['書き出し', 'Export'],
  'history.export.csv': ['CSV で書き出す', 'Export CSV'],
  'history.export.json': ['JSON で書き出す', 'Export JSON'],
  'history.exported': ['書き出しました: {0}', 'Exported: {0}'],
  'history.col.time': ['日時', 'Time'],
  'history.col.op': ['操作', 'Operation'],
  'history.col.file': ['ファイル', 'File'],
  'history.col.result': ['結果', 'Result'],
  'history.col.detail': ['詳細', 'Detail'],
  'history.empty': ['記録はありません。', 'No records.'],
  'history.count': ['{0} 件', '{0} records'],
  'history.unavailable': ['この版には履歴機能がまだありません。', 'History is not in this build yet.'],

  'settings.title': ['設定', 'Settings'],
  'settings.language': ['表示言語', 'Language'],
  'settings.tsa': ['タイムスタンプサーバーの URL', 'Timestamp server (RFC 3161) URL'],
  'settings.save': ['保存', 'Save'],
  'settings.saved': ['保存しました。', 'Saved.'],
  'settings.trust': ['信頼の起点（ルート証明書）', 'Trust anchors (root certificates)'],
  'settings.trust.jlis': ['J-LIS（公的個人認証）', 'J-LIS (JPKI)'],
  'settings.trust.user': ['利用者が追加', 'Added by you'],
  'settings.trust.test': ['テスト用（開発者向け・本番では無効）', 'Test (for developers, not valid for real use)'],
  'settings.trust.card': ['カードから取り込む', 'Import from the card'],
  'settings.trust.card.help': ['リーダーのカードが持つ認証局の証明書を取り込みます（暗証番号は不要）。本物のカードからは登録済みの J-LIS ルート証明書と指紋が一致するものだけを、仮想カードからはテスト用のルート証明書（「テスト用」と表示）を取り込みます。', "Takes the CA certificates the card in the reader carries (no PIN). From a real card only roots whose fingerprint matches a pinned J-LIS root; from the virtual card its test root, always shown as TEST."],
  'settings.trust.expired': ['期限切れ（期限内の署名の検証に使います）', 'expired (still used for signatures made while it was valid)'],
  'settings.trust.add': ['証明書ファイルを追加', 'Add a certificate file'],
  'settings.trust.remove': ['削除', 'Remove'],
  'settings.trust.none': ['信頼の起点はありません。', 'No trust anchors.'],
  'settings.trust.until': ['{0} まで', 'until {0}'],
  'settings.data': ['データの保存場所', 'Data location'],
  'settings.data.note': ['設定・履歴・信頼の起点はここに保存されます。別の場所を使うには、次の環境変数にその場所を指定して起動します:', 'Settings, history and trust anchors are kept here. To use another folder, start Shomei with this environment variable set to it:'],
  'settings.version': ['バージョン', 'Version'],

  'life.title': ['電子証明書の有効期限', 'Certificate expiry'],

  'advisor.title': ['ロックされた暗証番号を再設定するには', 'Getting a locked PIN reset'],
  'advisor.intro': ['いくつかの質問に答えると、再設定の方法と用意するものをお知らせします。カードの状態を読むだけで、暗証番号の試行は使いません。', 'Answer a few questions to learn how the PIN can be reset and what to have with you. Only the card state is read: no PIN try is used.'],
  'advisor.questions': ['質問', 'Questions'],
  'advisor.pending': ['すべての質問に答えると、方法が表示されます。', 'Answer every question to see the way.'],
  'advisor.route': ['方法', 'Way'],
  'advisor.why': ['アプリとキオスク端末が使えない理由', 'Why the app and kiosks are out'],
  'advisor.kiosks': ['再設定できる店舗', 'Stores that can do it'],
  'advisor.bring': ['用意するもの', 'What to have with you'],
  'advisor.notes': ['ご注意', 'Notes'],

  'counter.title': ['窓口モード', 'Counter mode'],
  'counter.kiosk': ['窓口用の全画面表示', 'Full-screen counter display'],
  'counter.kiosk.exit': ['全画面表示を終える', 'Leave full screen'],
  'counter.read': ['リーダーのカードを読む', 'Read the card in the reader'],
  'counter.next': ['次の方へ（画面を消去）', 'Next person (clear the screen)'],
  'counter.waiting': ['カードをリーダーに置いてください。', 'Put the card on the reader.'],
  'counter.kind': ['カードの種類', 'Card'],
  'counter.todo': ['対応', 'To do'],
  'counter.pins': ['暗証番号', 'PINs'],
  'counter.cert': ['電子証明書', 'Certificates'],
  'counter.reset': ['再設定する', 'Reset'],
  'counter.reset.title': ['{0}の再設定', 'Reset the {0}'],
  'counter.reset.confirm': ['（職員）ご本人であることを確認し、この暗証番号を再設定します', '(Staff) I have checked the holder\'s identity and reset this PIN'],
  'counter.reset.code': ['リセットコード（8 文字）', 'Reset code (8 characters)'],
  'counter.reset.new': ['新しい暗証番号', 'New PIN'],
  'counter.reset.again': ['新しい暗証番号（確認）', 'New PIN again'],
  'counter.reset.submit': ['再設定を実行', 'Reset now'],
  'counter.reset.cancel': ['やめる', 'Cancel'],
  'counter.reset.done': ['{0}を再設定しました。試行回数は最大に戻りました。', 'The {0} was reset; its tries are back to the maximum.'],
  'counter.need': ['再設定するには: ', 'To reset: '],
  'counter.need.confirm': ['職員の確認', 'the staff confirmation'],
  'counter.need.code': ['リセットコード（8 文字）', 'the reset code (8 characters)'],
  'counter.need.pin': ['正しい形式の新しい暗証番号', 'a new PIN of the right format'],
  'counter.need.match': ['同じ暗証番号を 2 回', 'the same new PIN twice'],
  'identity.title': ['本人確認（IC チップ）', 'Identity check (chip)'],
  'identity.lead': ['券面の数字を、券面と同じ並びで入力してください（照合番号B）。IC チップの顔写真と 4 情報を読み、J-LIS の署名を確かめます。', 'Type the numbers printed on the card, in the card\'s order (照合番号B). The chip\'s photo and 4 facts are read and J-LIS\'s signature is checked.'],
  'identity.birth': ['生年月日（和暦）', 'Birth date (Japanese era)'],
  'identity.era_year': ['年（2 桁）', 'year (2 digits)'],
  'identity.month': ['月', 'month'],
  'identity.day': ['日', 'day'],
  'identity.expiry_year': ['有効期限の年（西暦 4 桁）', 'Expiry year (4 digits)'],
  'identity.security': ['セキュリティコード（4 桁）', 'Security code (4 digits)'],
  'identity.tries': ['照合番号B の残り回数: {0}', '照合番号B tries left: {0}'],
  'identity.last': ['残り 1 回です。間違えるとロックされることを確認しました', 'One try left: I understand a mistake locks it'],
  'identity.submit': ['IC チップを読んで確認する', 'Read and check the chip'],
  'identity.need': ['数字をすべて入力してください（生年月日 6 桁・有効期限の年 4 桁・セキュリティコード 4 桁）。', 'Fill in every number (birth date 6 digits, expiry year 4, security code 4).'],
  'identity.photo': ['IC チップの顔写真', 'Photo from the chip'],
  'basic.title': ['基本 4 情報の読み取り（券面事項入力補助）', 'Basic 4 information (card-info input support)'],
  'basic.lead': ['ご本人が券面事項入力補助用暗証番号（数字 4 桁）を入力します。氏名・住所・生年月日・性別を文字で読み、J-LIS の署名を確かめます。書類の記入にお使いください。', 'The holder types the card-info input support PIN (4 digits). Name, address, birth date and sex are read as text and J-LIS\'s signature is checked, for filling in forms.'],
  'basic.with_mynumber': ['個人番号（マイナンバー）も読む（必要なときだけ）', 'Also read the My Number (only when needed)'],
  'basic.submit': ['基本 4 情報を読む', 'Read the basic 4 information'],
  'basic.mynumber': ['個人番号', 'My Number'],
  'basic.show': ['個人番号を表示する', 'Show the My Number'],
  'basic.hide': ['個人番号を隠す', 'Hide the My Number'],
  'basic.note': ['読み取った情報はどこにも保存されません。カードを取り外すか「次の方へ」を押すと画面から消えます。', 'Nothing read is kept anywhere: it leaves the screen when the card is removed or for the next person.'],
  'basic.close': ['閉じる（画面から消す）', 'Close (clear from the screen)'],
  'identity.name': ['氏名', 'Name'],
  'identity.address': ['住所', 'Address'],
  'identity.birth_date': ['生年月日', 'Birth date'],
  'identity.sex': ['性別', 'Sex'],
  'identity.expiry': ['有効期限', 'Expiry'],
  'identity.printed': ['券面の文字（IC チップの画像）', 'As printed (image from the chip)'],

  'consent.title': ['同意する・取り消す', 'Consents'],
  'consent.load': ['同意文書（JSON）をここにドロップ', 'Drop a consent document (JSON) here'],
  'consent.invalid': ['この同意文書は規則に合っていないため表示できません:', 'This consent document breaks the rules and is not shown:'],
  'consent.screen': ['同意画面', 'Consent screen'],
  'consent.by': ['{0} — {1}', '{0} — {1}'],
  'consent.items': ['提供される情報', 'Information provided'],
  'consent.details.close': ['同意画面に戻る', 'Back to the consent screen'],
  'consent.required': ['【必須】', '(required)'],
  'consent.optional': ['【任意】', '(optional)'],
  'consent.sign.title': ['同意に署名する', 'Sign the consent'],
  'consent.sign.what': ['署名するもの: この同意文書、「同意する」という意思、日時。', 'What is signed: this consent document, your agreement, and the time.'],
  'consent.sign.submit': ['同意に署名する', 'Sign the consent'],
  'consent.back': ['同意画面に戻る', 'Back to the consent screen'],
  'consent.doc': ['文書の SHA-256', 'Document SHA-256'],
  'consent.download': ['署名した同意をダウンロード', 'Download the signed consent'],
  'consent.reveal': ['フォルダーで表示', 'Show in folder'],
  'consent.withdraw.this': ['この同意を取り消す', 'Withdraw this consent'],
  'consent.withdraw.load': ['取り消す同意（.consent.p7m）をここにドロップ', 'Drop a signed consent (.consent.p7m) to withdraw here'],
  'consent.withdraw.title': ['同意を取り消す', 'Withdraw a consent'],
  'consent.withdraw.what': ['{0}（{1}）への同意。同意した日時: {2}', 'The consent to {0} ({1}), agreed at {2}'],
  'consent.withdraw.sign': ['取消しに署名する', 'Sign the withdrawal'],
  'consent.withdraw.download': ['署名した取消しをダウンロード', 'Download the signed withdrawal'],
  'consent.list': ['記録された同意', 'Recorded consents'],
  'consent.list.none': ['記録された同意はありません。', 'No consents recorded.'],
  'consent.col.date': ['日付', 'Date'],
  'consent.col.service': ['サービス', 'Service'],
  'consent.col.business': ['事業者', 'Business'],
  'consent.col.decision': ['意思', 'Decision'],
  'consent.col.state': ['状態', 'State'],
  'consent.close': ['答えずに閉じる', 'Close without answering'],
  'consent.another': ['別の文書を読み込む', 'Load another document'],

  'eapp.title': ['電子申請のデータに署名する', 'Sign e-application data'],
  'eapp.sys': ['申請先', 'Where the application goes'],
  'eapp.sys.egov': ['e-Gov 電子申請', 'e-Gov'],
  'eapp.sys.egov.help': ['e-Gov の申請フォルダー（圧縮ファイル）に、e-Gov が受け付ける形式で署名します。', 'Signs an e-Gov application folder (ZIP) the way e-Gov takes it.'],
  'eapp.sys.other': ['その他の電子申請', 'Another e-application system'],
  'eapp.sys.other.help': ['自治体などの電子申請システムから受け取ったデータに署名し、応答ファイルを作ります。', 'Signs the data another e-application system handed you into a response file.'],
  'egov.drop': ['e-Gov の申請フォルダーを圧縮したファイル（デスクトップ版では構成管理ファイルも可）をここにドロップ', 'Drop the e-Gov application folder as a ZIP here (in the desktop app, its manifest file works too)'],
  'egov.what': ['署名する申請: {0}', 'The application to be signed: {0}'],
  'egov.note': ['構成管理ファイルに、申請の内容と下のすべてのファイルを対象とする署名を入れます。', 'A signature covering the application\'s contents and every file below goes into its manifest.'],
  'egov.files': ['署名するファイル（{0} 件）', 'Files to be signed ({0})'],
  'egov.values': ['申請の主な内容', 'Main contents of the application'],
  'egov.extra': ['申請に記載がないため署名も同梱もしないファイル: {0}', 'Not named in the application, neither signed nor included: {0}'],
  'egov.submit': ['申請に署名する', 'Sign the application'],
  'egov.download': ['署名済みの申請（圧縮ファイル）をダウンロード', 'Download the signed application (ZIP)'],
  'eapp.drop': ['電子申請システムから受け取ったファイル（JSON・XML など、複数可）をここにドロップ', 'Drop the files an e-application system handed you (JSON, XML or others; several at once) here'],
  'eapp.what': ['署名する内容', 'What will be signed'],
  'eapp.col.name': ['ファイル', 'File'],
  'eapp.col.size': ['大きさ', 'Size'],
  'eapp.col.type': ['種類', 'Type'],
  'eapp.values': ['内容', 'Contents'],
  'eapp.submit': ['{0} 件をまとめて署名する', 'Sign the {0} files together'],
  'eapp.note': ['すべてのファイルの名前・大きさ・SHA-256 をまとめた 1 つの応答ファイル（.response.p7m）に署名します。', 'One response file (.response.p7m) is signed, naming every file with its size and SHA-256.'],
  'eapp.download': ['応答ファイルをダウンロード', 'Download the response file'],
  'eapp.clear': ['やり直す', 'Start again'],
  'eapp.value': ['（値）', '(value)'],
  'eapp.kind.json': ['JSON 文書', 'JSON document'],
  'eapp.kind.xml': ['XML 文書', 'XML document'],
  'eapp.kind.pdf': ['PDF', 'PDF'],
  'eapp.kind.other': ['ファイル', 'file'],

  'guard.need': ['署名するには: ', 'To sign: '],
  'guard.need.card': ['署名用電子証明書のあるカードを置く', 'insert a card with a signing certificate'],
  'guard.need.accept': ['注意事項を確認', 'read the notice'],
  'guard.need.pin': ['暗証番号を入力', 'enter the password'],

  'common.error': ['エラー', 'Error'],
  'common.close': ['閉じる', 'Close'],
  'common.yes': ['はい', 'Yes'],
  'common.no': ['いいえ', 'No'],
};

// t returns the label for key in the current language, {0}, {1}… replaced
// by args. An unknown key shows as itself, so a gap is visible.
export function t(key: string, ...args: (string | number)[]): string {
  const e = dict[key];
  if (!e) return key;
  let s = ui.lang === 'en' ? e[1] : e[0];
  args.forEach((a, i) => {
    s = s.split('{' + i + '}').join(String(a));
  });
  return s;
}

export function hasKey(key: string): boolean {
  return key in dict;
}

export function allKeys(): string[] {
  return Object.keys(dict);
}

export function pair(key: string): [string, string] | undefined {
  return dict[key];
}

export function setLang(l: Lang) {
  ui.lang = l;
  document.documentElement.lang = l;
}

// Dates and times have one format on every screen, in both languages, the
// one the backend and the CLI write: 2026-04-01 and 2026-04-01 09:30:00.
// A date (a certificate's last day, a trust anchor's) is a calendar day in
// Japan, as backend/certlife counts it; a time is the computer's local time.
// One formatter per time zone, made once (making one costs far more than
// using it).
const formats = new Map<string, Intl.DateTimeFormat>();

function ymd(d: Date, timeZone?: string) {
  let f = formats.get(timeZone ?? '');
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
    formats.set(timeZone ?? '', f);
  }
  const p = Object.fromEntries(f.formatToParts(d).map((x) => [x.type, x.value]));
  return { date: `${p.year}-${p.month}-${p.day}`, time: `${p.hour}:${p.minute}:${p.second}` };
}

export function fmtDate(iso: string | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (isNaN(d.getTime())) return iso;
  return ymd(d, 'Asia/Tokyo').date;
}

export function fmtTime(iso: string | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (isNaN(d.getTime())) return iso;
  const x = ymd(d);
  return x.date + ' ' + x.time;
}

export function fmtBytes(n: number): string {
  if (n < 1024) return n + ' B';
  if (n < 1 << 20) return (n / 1024).toFixed(1) + ' KB';
  if (n < 1 << 30) return (n / (1 << 20)).toFixed(1) + ' MB';
  return (n / (1 << 30)).toFixed(2) + ' GB';
}
